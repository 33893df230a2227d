// The dashboard's files: `GET /` the page, `/ui/*` its compiled scripts (apps/coordinator/ui, built
// by the root `tsc -b`) and stylesheet, `/vendor/echarts.min.js` the chart library from
// node_modules. Nothing comes from a CDN, and the Content-Security-Policy keeps it that way.
//
// A whitelist, not a static-file plugin: the set of servable files is listed once at startup and a
// request is a Map lookup, so no URL (`..`, %2e%2e, symlinks) can reach any other file.
import { existsSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { notFound } from "../errors.js";

/** Route patterns of the dashboard; they load without a bearer token (the page holds no data). */
export const DASHBOARD_ROUTES: readonly string[] = ["/", "/ui/*", "/vendor/echarts.min.js"];

/** apps/coordinator/ui, from dist/src/http/routes/ (compiled) as from src/http/routes/. */
const UI_DIR = fileURLToPath(new URL("../../../../ui/", import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
};

// 'unsafe-inline' styles: ECharts positions its tooltips and canvases with style attributes.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Every `.js` file under `dir`, keyed by its path relative to `dir` with forward slashes. */
function scriptsUnder(dir: string, out = new Map<string, string>(), root = dir): Map<string, string> {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) scriptsUnder(p, out, root);
    else if (name.endsWith(".js")) out.set(relative(root, p).split(sep).join("/"), p);
  }
  return out;
}

/** The files `/ui/*` may serve: the compiled scripts and the stylesheet. */
function uiFiles(): Map<string, string> {
  const files = scriptsUnder(join(UI_DIR, "dist"));
  files.set("style.css", join(UI_DIR, "static", "style.css"));
  return files;
}

async function sendFile(reply: FastifyReply, file: string): Promise<FastifyReply> {
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    // a whitelisted file that is missing: the UI was not built (`npx tsc -b`)
    throw notFound(`dashboard file missing on the server: ${relative(UI_DIR, file)} (run \`npx tsc -b\`)`);
  }
  return reply
    .header("content-type", CONTENT_TYPES[extname(file)] ?? "application/octet-stream")
    .header("cache-control", "no-cache")
    .header("x-content-type-options", "nosniff")
    .header("content-security-policy", CSP)
    .send(body);
}

export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  const files = uiFiles();
  const echartsFile = createRequire(import.meta.url).resolve("echarts/dist/echarts.min.js");
  const hide = { schema: { hide: true } };

  app.get("/", hide, (_req, reply) => sendFile(reply, join(UI_DIR, "static", "index.html")));
  app.get("/vendor/echarts.min.js", hide, (_req, reply) => sendFile(reply, echartsFile));
  app.get<{ Params: { "*": string } }>("/ui/*", hide, (req, reply) => {
    const file = files.get(req.params["*"]);
    if (!file) throw notFound(`no dashboard file '${req.params["*"]}'`);
    return sendFile(reply, file);
  });
};
