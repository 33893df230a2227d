// ECharts is loaded as a classic script (/vendor/echarts.min.js, served from node_modules); only
// its types are imported here. Charts made through `chart()` are disposed when the view changes
// and follow the window's size.
import type * as EChartsModule from "echarts";

declare global {
  const echarts: typeof EChartsModule;
}

export type Chart = EChartsModule.ECharts;
export type ChartOption = EChartsModule.EChartsOption;

const live = new Set<Chart>();

window.addEventListener("resize", () => {
  for (const c of live) c.resize();
});

/** A chart in `el` (which must have a height from CSS). */
export function chart(el: HTMLElement, option: ChartOption): Chart {
  const c = echarts.init(el, null, { renderer: "canvas" });
  c.setOption(option);
  live.add(c);
  return c;
}

/** Disposes every chart; called by the router before a view is replaced. */
export function disposeCharts(): void {
  for (const c of live) c.dispose();
  live.clear();
}

/** Colours used across views, so that green/red mean the same thing everywhere. */
export const COLORS = {
  line: "#2f6fb0",
  gain: "#2e8b57",
  loss: "#c0392b",
  muted: "#8a94a6",
  palette: ["#2f6fb0", "#e08a2e", "#2e8b57", "#c0392b", "#7d5ba6", "#3aa6b9", "#b5892f", "#8a94a6"],
};
