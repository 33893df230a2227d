// Answers a request with an export file (table-export.ts in resultsdb): streamed from disk as an
// attachment, the file removed once the stream ends or the client goes away.
import { createReadStream } from "node:fs";
import type { ExportFile } from "@pairgrid/resultsdb";
import type { FastifyReply } from "fastify";

export function sendExport(
  reply: FastifyReply,
  file: ExportFile,
  name: string,
  headers: Record<string, string> = {},
): FastifyReply {
  const stream = createReadStream(file.path);
  stream.once("close", () => void file.dispose());
  const ext = file.path.slice(file.path.lastIndexOf(".") + 1);
  const safe = name.replace(/[^\w.-]+/g, "_");
  return reply
    .headers({
      ...headers,
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${safe}.${ext}"`,
    })
    .send(stream);
}
