// Number and time formatting shared by every view: one place decides how a statistic reads.
const grouped0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const grouped2 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fixed3 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const pct1 = new Intl.NumberFormat("en-US", {
  style: "percent",
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

export const DASH = "—";

/** Statistics in currency units: two decimals with grouping. */
const MONEY = new Set(["total_pnl", "avg_pnl", "gross_profit", "gross_loss", "max_dd", "max_dd_mtm"]);
/** Fractions shown as percentages. */
const FRACTIONS = new Set(["win_rate", "exposure"]);

function isNum(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** A statistic by its name (INTERFACE.md names): counts whole, money 2 dp, fractions as %, else 3 dp. */
export function fmtStat(name: string, v: unknown): string {
  if (v === null || v === undefined) return DASH;
  if (typeof v === "bigint") return grouped0.format(v);
  if (!isNum(v)) return typeof v === "number" ? String(v) : String(v);
  if (name.startsWith("n_") || name === "combo_id") return grouped0.format(v);
  if (MONEY.has(name)) return grouped2.format(v);
  if (FRACTIONS.has(name)) return pct1.format(v);
  if (name === "avg_bars_held") return grouped2.format(v);
  return fixed3.format(v);
}

/** A parameter value: null means the optional feature is off. */
export function fmtParam(v: unknown): string {
  if (v === null || v === undefined) return "off";
  if (isNum(v)) return Number.isInteger(v) ? String(v) : String(+v.toPrecision(10));
  return String(v);
}

/** Any number without knowing what it is: integers grouped, others to 4 significant digits. */
export function fmtNumber(v: unknown): string {
  if (v === null || v === undefined) return DASH;
  if (typeof v === "bigint") return grouped0.format(v);
  if (!isNum(v)) return String(v);
  if (Number.isInteger(v)) return grouped0.format(v);
  const abs = Math.abs(v);
  if (abs >= 1000) return grouped2.format(v);
  return String(+v.toPrecision(4));
}

export function fmtPct(v: number): string {
  return pct1.format(v);
}

export function fmtInt(v: number): string {
  return grouped0.format(v);
}

/** Seconds as `1h 02m`, `3m 05s`, `12s`. */
export function fmtDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return DASH;
  const t = Math.max(0, Math.round(s));
  const hh = Math.floor(t / 3600);
  const mm = Math.floor((t % 3600) / 60);
  const ss = t % 60;
  if (hh > 0) return `${hh}h ${String(mm).padStart(2, "0")}m`;
  if (mm > 0) return `${mm}m ${String(ss).padStart(2, "0")}s`;
  return `${ss}s`;
}

/** An instant (ISO string or epoch ms) as `YYYY-MM-DD HH:MM` UTC, or with seconds. */
export function fmtTime(v: string | number | null, seconds = false): string {
  if (v === null || v === undefined) return DASH;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, seconds ? 19 : 16)}`;
}

/** A trade's side (1 long, −1 short). */
export function sideName(v: unknown): string {
  return v === 1 ? "long" : v === -1 ? "short" : String(v);
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant as `YYYY-MM-DD HH:MM[:SS]` wall-clock time in `tz` (an IANA zone, e.g. the session's). */
export function fmtTimeIn(v: string | number | null, tz: string, seconds = false): string {
  if (v === null || v === undefined) return DASH;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  let f = zoneFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    zoneFormats.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ""}`;
}

/**
 * `tz`'s offset from UTC at instant `ms`, in ms (cached per hour: zones change offset on the hour).
 * Charts add it to epoch times and draw in UTC, so their axes read the zone's wall clock.
 */
export function zoneOffset(tz: string): (ms: number) => number {
  const cache = new Map<number, number>();
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    hourCycle: "h23",
  });
  return (ms) => {
    const hour = Math.floor(ms / 3_600_000);
    let off = cache.get(hour);
    if (off === undefined) {
      const at = hour * 3_600_000;
      const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, Number(x.value)]));
      off = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
      cache.set(hour, off);
    }
    return off;
  };
}
