#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript compiled by `npm install` (root `prepare` runs `tsc -b`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const main = new URL("../dist/src/main.js", import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write("pairgrid: not built yet; run `npm run build` at the repository root\n");
  process.exit(2);
}
await import(main.href);
