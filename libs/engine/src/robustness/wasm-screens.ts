// The WebAssembly module of the robustness screens (libs/engine/assembly/cscv-simd.ts, compiled
// into dist/wasm by scripts/build-wasm.mjs), and the memory a screen works in: fixed regions laid
// out once, then a block's fold cells (days as i32, Σx, Σx² as f64), rows padded to an even count. What a
// screen may decide and why the results stay exact: cscv-simd.ts and walk-forward-simd.ts.
import { readFileSync } from "node:fs";

// The WebAssembly global as far as this file uses it: the project's TypeScript libs (ES2022, no DOM)
// and @types/node 20 do not declare it.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
};

export interface ScreenExports {
  memory: WasmMemory;
  best: (...args: number[]) => number;
  count: (...args: number[]) => number;
  walkForward: (...args: number[]) => number;
}

const WASM_URL = new URL("../../wasm/cscv-simd.wasm", import.meta.url);
let compiled: WasmModule | null = null;

/**
 * Whether robustness uses the screens: PAIRGRID_ROBUSTNESS_SIMD=0 turns them off (the JavaScript
 * loops alone, for comparisons); anything else, or unset, turns them on.
 */
export function robustnessSimdEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.PAIRGRID_ROBUSTNESS_SIMD?.trim() !== "0";
}

function wasmModule(): WasmModule {
  if (compiled !== null) return compiled;
  let bytes: Buffer;
  try {
    bytes = readFileSync(WASM_URL);
  } catch {
    throw new Error(`${WASM_URL.pathname} is missing: run "npm run build" (it compiles the WebAssembly)`);
  }
  compiled = new WebAssembly.Module(bytes);
  return compiled;
}

/** Where our regions start: above the module's own static data. */
const BASE = 1 << 16;
const PAGE = 65536;

/** One instance of the module: regions taken once (`region`), then blocks loaded (`load`). */
export class ScreenMemory {
  readonly ex: ScreenExports;
  private at = BASE;
  private capacity = 0;

  constructor(readonly nFolds: number) {
    this.ex = new WebAssembly.Instance(wasmModule(), {
      env: {
        abort: () => {
          throw new Error("robustness screens: abort");
        },
      },
    }).exports as unknown as ScreenExports;
  }

  /** A region of `bytes` (16-byte aligned), before the first load. */
  region(bytes: number): number {
    if (this.capacity > 0) throw new Error("ScreenMemory: regions are taken before the first load");
    const o = this.at;
    this.at += Math.ceil(bytes / 16) * 16;
    this.grow(this.at);
    return o;
  }

  private grow(bytes: number): void {
    const have = this.ex.memory.buffer.byteLength;
    if (bytes > have) this.ex.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  f64(at: number, n: number): Float64Array {
    return new Float64Array(this.ex.memory.buffer, at, n);
  }

  i32(at: number, n: number): Int32Array {
    return new Int32Array(this.ex.memory.buffer, at, n);
  }

  /**
   * Copies a block's days (i32), Σx and Σx² in, an odd last row padded with 0 days and NaN sums
   * (never a candidate; the callers skip it where it is listed); returns the padded row count.
   */
  load(nRows: number, nDays: Int32Array, pnl: Float64Array, pnlSq: Float64Array): number {
    const F = this.nFolds;
    const rows = nRows + (nRows % 2);
    if (rows > this.capacity) {
      this.capacity = rows;
      this.grow(this.at + 3 * rows * F * 8);
    }
    const cells = nRows * F;
    const [ndAt, psAt, pqAt] = this.data(0);
    const nd = this.i32(ndAt, rows * F);
    const ps = this.f64(psAt, rows * F);
    const pq = this.f64(pqAt, rows * F);
    nd.set(nDays.subarray(0, cells));
    ps.set(pnl.subarray(0, cells));
    pq.set(pnlSq.subarray(0, cells));
    if (rows > nRows) {
      nd.fill(0, cells);
      ps.fill(Number.NaN, cells);
      pq.fill(Number.NaN, cells);
    }
    return rows;
  }

  /** Offsets of the loaded days (i32), Σx and Σx² (f64) from row r0 on. */
  data(r0: number): [number, number, number] {
    const F = this.nFolds;
    const days = this.capacity * F * 4;
    const sums = this.capacity * F * 8;
    return [this.at + r0 * F * 4, this.at + days + r0 * F * 8, this.at + days + sums + r0 * F * 8];
  }
}
