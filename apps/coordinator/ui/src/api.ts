// Talking to the coordinator (or `pairgrid serve`): JSON over fetch with the bearer token when
// there is one, errors as ApiError carrying the server's `message`, and the SSE URL.
const TOKEN_KEY = "pairgrid.token";

/** An API answer that was not 2xx; `message` is the server's own text. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * Reads `?token=` from the page's URL once, keeps it for the tab's session and takes it out of the
 * address bar (so it does not stay in the history or end up in a shared link).
 */
export function initToken(): void {
  const url = new URL(location.href);
  const t = url.searchParams.get("token");
  if (t === null) return;
  sessionStorage.setItem(TOKEN_KEY, t);
  url.searchParams.delete("token");
  history.replaceState(null, "", url.pathname + url.search + url.hash);
}

function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

type Query = Record<string, string | number | boolean | null | undefined>;

function withQuery(path: string, q: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q))
    if (v !== null && v !== undefined && v !== "") params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

async function send(method: string, path: string, body: unknown, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept };
  const t = token();
  if (t) headers.authorization = `Bearer ${t}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  try {
    return await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", `the server did not answer (${method} ${path})`);
  }
}

/** The server's `{error, message, path}` of a refused request as an ApiError. */
function refusal(res: Response, json: unknown): ApiError {
  const e = (json ?? {}) as { error?: string; message?: string; path?: string };
  return new ApiError(
    res.status,
    e.error ?? `http_${res.status}`,
    e.message ?? `${res.status} ${res.statusText}`,
    e.path,
  );
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await send(method, path, body, "application/json");
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    if (res.ok) throw new ApiError(res.status, "bad_response", `not JSON from ${path}`);
  }
  if (!res.ok) throw refusal(res, json);
  return json as T;
}

/**
 * Downloads a file the server writes (CSV, Parquet): fetched with the token like every API call
 * (a plain link could not send it), then handed to the browser under the server's file name.
 */
export async function download(
  method: "GET" | "POST",
  path: string,
  q?: Query,
  body?: unknown,
): Promise<string> {
  const res = await send(method, withQuery(path, q), body, "*/*");
  if (!res.ok) {
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not the server's JSON error */
    }
    throw refusal(res, json);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "download";
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

export function getJson<T>(path: string, q?: Query): Promise<T> {
  return request<T>("GET", withQuery(path, q));
}

export function postJson<T>(path: string, body: unknown): Promise<T> {
  return request<T>("POST", path, body);
}

/** EventSource cannot send headers; the token goes in the query string instead. */
export function eventsUrl(jobId: string): string {
  const t = token();
  return withQuery(`/jobs/${encodeURIComponent(jobId)}/events`, { access_token: t });
}

export const jobPath = (jobId: string, rest = ""): string => `/jobs/${encodeURIComponent(jobId)}${rest}`;
