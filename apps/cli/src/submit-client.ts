// The coordinator's HTTP API as `pairgrid submit` uses it: JSON requests with the bearer token
// from PAIRGRID_TOKEN, errors turned into one-line messages (4xx → InputError, exit 2).
import { InputError } from "@pairgrid/engine";

export interface CoordinatorClient {
  url: string;
  post(path: string, body: unknown): Promise<unknown>;
  get(path: string): Promise<unknown>;
  /** The raw response of a streaming GET (Server-Sent Events). */
  stream(path: string): Promise<Response>;
}

export function coordinatorClient(url: string, token = process.env.PAIRGRID_TOKEN): CoordinatorClient {
  const base = url.replace(/\/+$/, "");
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const call = async (path: string, init: RequestInit): Promise<Response> => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new InputError(
        `${base}: cannot reach the coordinator (${cause?.code ?? cause?.message ?? err})`,
        "--url",
      );
    }
    if (res.ok) return res;
    const body = (await res.json().catch(() => ({}))) as { message?: string; path?: string };
    const text = `${body.message ?? res.statusText}${body.path ? ` (at ${body.path})` : ""}`;
    if (res.status >= 400 && res.status < 500)
      throw new InputError(`coordinator refused (${res.status}): ${text}`);
    throw new Error(`coordinator error ${res.status}: ${text}`);
  };
  return {
    url: base,
    post: async (path, body) =>
      (
        await call(path, {
          method: "POST",
          body: JSON.stringify(body),
          headers: { "content-type": "application/json" },
        })
      ).json(),
    get: async (path) => (await call(path, { method: "GET" })).json(),
    stream: (path) => call(path, { method: "GET", headers: { accept: "text/event-stream" } }),
  };
}
