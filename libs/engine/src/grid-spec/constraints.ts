// Grid constraints such as `z_exit < z_entry` or `z_stop >= z_entry + 0.5`: parsed into a small
// expression tree and evaluated over numbers — never handed to a JavaScript evaluator.
//   constraint := expr (< | <= | > | >= | == | !=) expr
//   expr := term ((+|-) term)* ; term := factor ((*|/) factor)* ; factor := number | param | -factor | (expr)
import { InputError } from "../errors.js";
import { type Combination, PARAM_BY_NAME } from "./param-defs.js";

type Node =
  | { k: "num"; v: number }
  | { k: "param"; name: string }
  | { k: "neg"; a: Node }
  | { k: "bin"; op: "+" | "-" | "*" | "/"; a: Node; b: Node };

export type Comparison = "<" | "<=" | ">" | ">=" | "==" | "!=";

export interface Constraint {
  text: string;
  op: Comparison;
  left: Node;
  right: Node;
  /** Parameters it mentions. */
  params: string[];
}

const TOKEN =
  /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|<|>|[-+*/()]))/y;

export function parseConstraint(text: string, path: string): Constraint {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new InputError(`${path}: cannot parse '${text}' at '${text.slice(pos).trim()}'`, path);
    tokens.push(m[1] ?? m[2] ?? m[3]!);
    pos = TOKEN.lastIndex;
  }
  let i = 0;
  const params = new Set<string>();
  const bad = (what: string): never => {
    throw new InputError(`${path}: ${what} in '${text}'`, path);
  };
  const peek = () => tokens[i];
  const factor = (): Node => {
    const t = tokens[i++];
    if (t === undefined) return bad("unexpected end");
    if (t === "-") return { k: "neg", a: factor() };
    if (t === "(") {
      const e = expr();
      if (tokens[i++] !== ")") bad("missing ')'");
      return e;
    }
    if (/^[\d.]/.test(t)) return { k: "num", v: Number(t) };
    if (/^[A-Za-z_]/.test(t)) {
      if (!PARAM_BY_NAME.has(t)) bad(`unknown parameter '${t}'`);
      params.add(t);
      return { k: "param", name: t };
    }
    return bad(`unexpected '${t}'`);
  };
  const term = (): Node => {
    let a = factor();
    while (peek() === "*" || peek() === "/") {
      const op = tokens[i++] as "*" | "/";
      a = { k: "bin", op, a, b: factor() };
    }
    return a;
  };
  const expr = (): Node => {
    let a = term();
    while (peek() === "+" || peek() === "-") {
      const op = tokens[i++] as "+" | "-";
      a = { k: "bin", op, a, b: term() };
    }
    return a;
  };
  const left = expr();
  const op = tokens[i++];
  if (!op || !["<", "<=", ">", ">=", "==", "!="].includes(op)) bad("expected a comparison (< <= > >= == !=)");
  const right = expr();
  if (i !== tokens.length) bad(`unexpected '${tokens[i]}'`);
  if (params.size === 0) bad("no parameter");
  return { text, op: op as Comparison, left, right, params: [...params] };
}

/** NaN when a parameter is null (a feature switched off). */
function evaluate(n: Node, c: Combination): number {
  switch (n.k) {
    case "num":
      return n.v;
    case "param": {
      const v = c[n.name];
      return v === null || v === undefined ? Number.NaN : v;
    }
    case "neg":
      return -evaluate(n.a, c);
    case "bin": {
      const a = evaluate(n.a, c);
      const b = evaluate(n.b, c);
      return n.op === "+" ? a + b : n.op === "-" ? a - b : n.op === "*" ? a * b : a / b;
    }
  }
}

/** 1e-9 tolerance so `z_stop >= z_entry + 0.5` holds for 3.5 vs 3.0000000000000004 + 0.5. */
const EPS = 1e-9;

/**
 * Whether the combination satisfies the constraint. A constraint that mentions a null parameter
 * does not apply (it is satisfied): `z_stop >= z_entry + 0.5` says nothing when the stop is off.
 */
export function satisfies(con: Constraint, c: Combination): boolean {
  const a = evaluate(con.left, c);
  const b = evaluate(con.right, c);
  if (Number.isNaN(a) || Number.isNaN(b)) return true;
  switch (con.op) {
    case "<":
      return a < b - EPS;
    case "<=":
      return a <= b + EPS;
    case ">":
      return a > b + EPS;
    case ">=":
      return a >= b - EPS;
    case "==":
      return Math.abs(a - b) <= EPS;
    case "!=":
      return Math.abs(a - b) > EPS;
  }
}
