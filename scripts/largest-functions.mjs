// Lists the longest functions, methods and arrow functions of the TypeScript sources (tests and
// dist excluded), to see where a refactor still leaves large bodies. Read-only; uses the compiler's parser.
// Usage: node scripts/largest-functions.mjs [--top N] [folder …]   (default: libs apps, top 15)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
let top = 15;
const folders = [];
for (let k = 0; k < args.length; k++) {
  if (args[k] === "--top") top = Number(args[++k]);
  else folders.push(args[k]);
}
if (folders.length === 0) folders.push("libs", "apps");

function sources(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name === "test") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

function nameOf(node, sf) {
  if (node.name) return node.name.getText(sf);
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(sf);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(sf);
  return "(anonymous)";
}

const found = [];
for (const folder of folders) {
  for (const file of sources(join(root, folder), [])) {
    const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (ts.isFunctionLike(node) && "body" in node && node.body) {
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
        const end = sf.getLineAndCharacterOfPosition(node.end).line + 1;
        found.push({
          lines: end - start + 1,
          where: `${relative(root, file)}:${start}`,
          name: nameOf(node, sf),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
}
found.sort((a, b) => b.lines - a.lines);
for (const f of found.slice(0, top)) console.log(`${String(f.lines).padStart(5)}  ${f.name}  ${f.where}`);
