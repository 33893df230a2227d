// Checks the rules of the tree's shape (issue 17) and exits 1 with one line per breach:
//  - no import loops between source files of a workspace (type-only imports count too: a loop of types
//    is still two files that cannot be understood one without the other);
//  - no app depends on another app, except the CLI, which wires commands;
//  - nothing under libs/ depends on bullmq, ioredis or fastify (the libraries stay transport-free).
// Usage: node scripts/check-architecture.mjs [repo root]   (default: this checkout)
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(process.argv[2] ?? fileURLToPath(new URL("..", import.meta.url)));
const breaches = [];

function sources(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.ts$/.test(name) && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

const IMPORT = /(?:from\s+|import\s*\(\s*|^\s*import\s+)["'](\.\.?\/[^"']+)["']/gm;

function importsOf(file) {
  const out = [];
  for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
    const base = resolve(dirname(file), m[1]).replace(/\.js$/, "");
    for (const candidate of [`${base}.ts`, join(base, "index.ts")]) {
      if (existsSync(candidate)) {
        out.push(candidate);
        break;
      }
    }
  }
  return out;
}

// Tarjan's strongly connected components: every component with more than one file is a loop.
function loops(files) {
  const edges = new Map(files.map((f) => [f, importsOf(f)]));
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component);
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return found;
}

const workspaces = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).workspaces;
const extraRoots = { "apps/coordinator": ["ui/src"] };
for (const ws of workspaces) {
  const roots = ["src", "test", ...(extraRoots[ws] ?? [])];
  for (const r of roots) {
    for (const component of loops(sources(join(root, ws, r), []))) {
      breaches.push(`import loop: ${component.map((f) => relative(root, f)).join(" → ")}`);
    }
  }
  const pkg = JSON.parse(readFileSync(join(root, ws, "package.json"), "utf8"));
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  if (ws.startsWith("libs/")) {
    for (const d of deps)
      if (/^(bullmq|ioredis|fastify|@fastify\/)/.test(d))
        breaches.push(`${ws} depends on ${d} (libs stay transport-free)`);
  }
  if (ws.startsWith("apps/") && ws !== "apps/cli") {
    for (const d of deps) {
      const target = workspaces.find(
        (w) =>
          w.startsWith("apps/") && JSON.parse(readFileSync(join(root, w, "package.json"), "utf8")).name === d,
      );
      if (target) breaches.push(`${ws} depends on the app ${target} (only the CLI wires apps together)`);
    }
  }
}
for (const b of breaches) console.log(b);
if (breaches.length > 0) process.exit(1);
console.log(
  `architecture ok: ${workspaces.length} workspaces, no import loops, no app→app or lib→transport dependency`,
);
