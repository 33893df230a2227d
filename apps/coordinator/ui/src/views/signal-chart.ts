// The combination page's z-score chart: the spread's z with the ±z_entry, ±z_exit and ±z_stop
// bands of this combination, ▲/▼ at entries and ● at exits coloured by exit reason, the spread
// itself on a second axis (off until asked for in the legend). Times are drawn on the session's
// wall clock (epoch shifted by the zone's offset, axes in UTC), as the equity chart beside it.
import { type Chart, chart, COLORS } from "../charts.js";
import { esc } from "../dom.js";
import { fmtTimeIn, zoneOffset } from "../format.js";
import type { ComboDetail } from "../types.js";

/** Exit reasons in a fixed colour each (EXIT_REASON_NAMES; any other takes grey). */
const REASON_COLORS: Record<string, string> = {
  TP_ZSCORE: COLORS.gain,
  TP_DOLLAR: "#3aa6b9",
  SL_ZSCORE: COLORS.loss,
  SL_DOLLAR: "#e08a2e",
  MAX_HOLD: "#7d5ba6",
  FLAT_EOD: "#b5892f",
  END_OF_DATA: COLORS.muted,
};

/** Epoch ms → the same wall-clock time in UTC, and a time axis that shows it. */
export function zoneAxes(tz: string) {
  const offset = zoneOffset(tz);
  return {
    shift: (ms: number) => ms + offset(ms),
    // the zone is named in the text above each chart (an axis name had no room at its end)
    axis: { type: "time" as const },
  };
}

export function signalChart(el: HTMLElement, d: ComboDetail, tz: string): Chart {
  const { shift, axis } = zoneAxes(tz);
  const { signal, params, trades } = d;
  const zAt = new Map(signal.ts.map((t, i) => [t, signal.z[i]]));
  const bands: { value: number; name: string; color: string }[] = [];
  const band = (p: string, color: string) => {
    const v = params[p];
    if (typeof v !== "number") return;
    bands.push({ value: v, name: `+${p}`, color }, { value: -v, name: `−${p}`, color });
  };
  band("z_entry", "#e08a2e");
  band("z_exit", COLORS.muted);
  band("z_stop", COLORS.loss);

  const entries = (side: number) =>
    trades
      .filter((t) => t.side === side)
      .map((t) => ({
        value: [shift(t.entry_ts as number), zAt.get(t.entry_ts as number) ?? null],
        trade: t,
      }));
  const reasons = [...new Set(trades.map((t) => String(t.reason)))];
  const exits = reasons.map((reason) => ({
    name: `exit ${reason}`,
    type: "scatter" as const,
    symbol: "circle",
    symbolSize: 7,
    itemStyle: { color: REASON_COLORS[reason] ?? COLORS.muted },
    data: trades
      .filter((t) => t.reason === reason)
      .map((t) => ({ value: [shift(t.exit_ts as number), zAt.get(t.exit_ts as number) ?? null], trade: t })),
  }));
  const tradeTip = (p: { seriesName: string; data: { trade?: Record<string, unknown> } }) => {
    const t = p.data.trade;
    if (!t) return "";
    const net = typeof t.pnl_net === "number" ? t.pnl_net.toFixed(2) : "";
    return (
      `${esc(p.seriesName)}<br>entry ${esc(fmtTimeIn(t.entry_ts as number, tz))} · exit ` +
      `${esc(fmtTimeIn(t.exit_ts as number, tz))}<br>${esc(String(t.reason))}, net ${esc(net)} $`
    );
  };
  return chart(el, {
    animation: false,
    useUTC: true,
    legend: { top: 0, selected: { spread: false } },
    tooltip: { trigger: "item", formatter: tradeTip as never },
    grid: { left: 70, right: 70, top: 36, bottom: 60 },
    xAxis: axis,
    yAxis: [
      { type: "value", name: "z", scale: true },
      { type: "value", name: "spread", scale: true, splitLine: { show: false } },
    ],
    dataZoom: [
      { type: "inside", xAxisIndex: 0 },
      { type: "slider", xAxisIndex: 0, bottom: 8, height: 20 },
    ],
    series: [
      {
        name: "z",
        type: "line",
        data: signal.ts.map((t, i) => [shift(t), signal.z[i]]),
        showSymbol: false,
        lineStyle: { width: 1, color: COLORS.line },
        itemStyle: { color: COLORS.line },
        markLine: {
          symbol: "none",
          silent: true,
          data: bands.map((b) => ({
            yAxis: b.value,
            name: b.name,
            lineStyle: { color: b.color, type: "dashed" },
            label: { formatter: b.name, position: "insideEndTop", color: b.color },
          })),
        },
      },
      {
        name: "spread",
        type: "line",
        yAxisIndex: 1,
        data: signal.ts.map((t, i) => [shift(t), signal.spread[i]]),
        showSymbol: false,
        lineStyle: { width: 1, color: COLORS.palette[6] },
        itemStyle: { color: COLORS.palette[6] },
      },
      {
        name: "long entry",
        type: "scatter",
        symbol: "triangle",
        symbolSize: 9,
        itemStyle: { color: COLORS.gain },
        data: entries(1),
      },
      {
        name: "short entry",
        type: "scatter",
        symbol: "triangle",
        symbolRotate: 180,
        symbolSize: 9,
        itemStyle: { color: COLORS.loss },
        data: entries(-1),
      },
      ...exits,
    ],
  });
}
