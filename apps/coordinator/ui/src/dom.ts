// A few DOM helpers so the views can build elements as expressions instead of innerHTML strings
// (text is always set as text: nothing from the API is ever parsed as HTML).
type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined | ((ev: Event) => void);

/**
 * `h("a", {href: "#/", class: "x", onclick: fn}, "text", child)`. `on*` function attributes become
 * listeners; `true` sets an empty attribute, `false`/null/undefined leave it out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, AttrValue> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, "");
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(key, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "number" ? String(c) : c);
  }
}

/** Replaces an element's content. */
export function fill(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, ...children);
}

/** A `<select>` over `options` (value, label) with `selected` chosen. */
export function select(
  options: readonly (readonly [string, string])[],
  selected: string,
  onchange: (value: string) => void,
  attrs: Record<string, AttrValue> = {},
): HTMLSelectElement {
  const el = h("select", attrs, ...options.map(([v, label]) => h("option", { value: v }, label)));
  el.value = selected;
  el.addEventListener("change", () => onchange(el.value));
  return el;
}

/** A labelled control: `<label>text control</label>`. */
export function field(label: string, control: Element): HTMLLabelElement {
  return h("label", { class: "field" }, h("span", {}, label), control);
}

/** Text for the few places that take HTML (ECharts tooltip formatters). */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
