// The command that replays a combination through the reference engine (`pairgrid backtest SPEC
// --set …`, written by the server from the job's grid), with a button that copies it.
import { fill, h } from "../dom.js";

/** The clipboard API where the page may use it; else a selection copied the old way. */
async function copyText(text: string, from: HTMLElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // no permission (an http page on another host, a headless browser): fall back
  }
  const range = document.createRange();
  range.selectNodeContents(from);
  const sel = window.getSelection()!;
  sel.removeAllRanges();
  sel.addRange(range);
  const ok = document.execCommand("copy");
  sel.removeAllRanges();
  if (!ok) throw new Error("the browser refused to copy; select the command and copy it by hand");
}

export function commandBox(command: string): HTMLElement {
  const code = h("code", { class: "command" }, command);
  const status = h("span", { class: "muted small copy-status" });
  const button = h(
    "button",
    {
      type: "button",
      class: "copy-command",
      onclick: () => {
        copyText(command, code).then(
          () => fill(status, "copied"),
          (err: unknown) => fill(status, (err as Error).message),
        );
      },
    },
    "Copy command",
  );
  return h(
    "div",
    { class: "command-box" },
    h("span", { class: "muted small" }, "Replay with the reference engine:"),
    code,
    button,
    status,
  );
}
