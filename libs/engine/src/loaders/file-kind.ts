// What a data file's name says about its bytes: plain text, gzip or zstd text, or Parquet.

export type FileKind = "text" | "gzip" | "zstd" | "parquet";

/** Names a leg's folder is read for (a file named directly may have any name, e.g. `.txt`). */
export const DATA_FILE_RE = /\.(csv|csv\.gz|csv\.zst|parquet)$/i;

export function fileKind(file: string): FileKind {
  const f = file.toLowerCase();
  if (f.endsWith(".gz")) return "gzip";
  if (f.endsWith(".zst") || f.endsWith(".zstd")) return "zstd";
  if (f.endsWith(".parquet")) return "parquet";
  return "text";
}
