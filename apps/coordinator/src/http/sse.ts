// Server-Sent Events wire format (WHATWG HTML §9.2), written straight to the Node response: fastify
// has no SSE support of its own and no SSE plugin is installed.
import type { ServerResponse } from "node:http";

export function startEventStream(res: ServerResponse): void {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    // nginx buffers proxied responses by default, which would hold events back
    "x-accel-buffering": "no",
  });
}

function writable(res: ServerResponse): boolean {
  return !res.writableEnded && !res.destroyed;
}

/** One event; `data` is JSON on a single line, so it needs no `data:` continuation lines. */
export function writeEvent(res: ServerResponse, event: string, data: unknown): void {
  if (writable(res)) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** A comment line: ignored by EventSource, but keeps proxies from closing an idle connection. */
export function writeComment(res: ServerResponse, text: string): void {
  if (writable(res)) res.write(`: ${text}\n\n`);
}

export function endEventStream(res: ServerResponse): void {
  if (writable(res)) res.end();
}
