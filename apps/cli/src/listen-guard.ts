// Who may reach a server: without a token, the coordinator and `pairgrid serve` listen only where
// nobody but this machine can connect. Both serve results over HTTP (and /query), so a server on
// 0.0.0.0 without a token is open to anyone who can reach the port.
import { isIP } from "node:net";
import { InputError } from "@pairgrid/engine";

/** 127.0.0.0/8, ::1 and `localhost`: only this machine can connect. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith("127.");
}

export const INSECURE_NO_AUTH_HELP =
  "listen on a non-loopback --host without $PAIRGRID_TOKEN (anyone who can reach the port can use it)";

/** Throws (exit 2, one line) when `host` is beyond this machine and there is no token nor opt-out. */
export function checkListen(host: string, token: string | null, insecureNoAuth: boolean | undefined): void {
  if (token || isLoopback(host) || insecureNoAuth) return;
  throw new InputError(
    `--host ${host}: refusing to listen beyond this machine without a token; set PAIRGRID_TOKEN (or pass --insecure-no-auth)`,
    "--host",
  );
}
