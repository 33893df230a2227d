// Issue 9, the dashboard in a real browser (playwright-core driving Debian's headless chromium)
// against a real cluster (own Redis, `pairgrid coordinator` with a token, one `pairgrid worker`),
// then against `pairgrid serve` over the same results file. Screenshots go to test-results/.
// Named *.browser.ts so that `npm test` leaves it out: it runs with `npm run test:e2e` (.ci/run),
// needs /usr/bin/chromium (or PAIRGRID_CHROMIUM) and takes ~40 s.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { freePort } from "@pairgrid/cluster/testing";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { pairgrid, repoRoot } from "./cli-helpers.js";
import { TestCluster } from "./cluster-harness.js";
import {
  makeRunDir,
  type RunDir,
  runToEnd,
  spawnPairgrid,
  specObject,
  withResultsFiles,
  writeSpec,
} from "./run-fixtures.js";

const CHROMIUM = process.env.PAIRGRID_CHROMIUM ?? "/usr/bin/chromium";
const SHOTS = join(repoRoot, "test-results");
const TOKEN = "dash-token";

/** Sized so that one worker with two threads takes several seconds over ~40 chunks. */
const PARAMS = {
  ols_window: [500, 1000],
  zscore_window: [50, 100, 200],
  z_entry: { from: 1.5, to: 3.0, step: 0.25 },
  z_exit: [-0.5, 0, 0.5],
  z_stop: [null, 3.5, 4.5],
  max_hold: [0, 100, 300],
  dollar_tp: [null, 500, 1000],
  corr_window: 300,
};
const CHUNK_SIZE = 250;

let rd: RunDir;
let cluster: TestCluster | null = null;
let serve: ChildProcess | null = null;
let profile: string;
let browser: BrowserContext;
let page: Page;
let jobId: string;
/** Problems the page reported (uncaught exceptions, console errors); every test ends with none. */
const pageProblems: string[] = [];
/** A heatmap cell as the page showed it, checked against the results file once it is closed. */
let shownCell: {
  x: string;
  xv: number | null;
  y: string;
  yv: number | null;
  stat: string;
  value: number;
} | null = null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `dashboard-${name}.png`), fullPage: true });
}

/**
 * Waits for `selector`, or fails at once with the page's message when the view shows an API error
 * instead (rather than running into the timeout).
 */
async function waitForView(selector: string, timeout = 30_000): Promise<void> {
  const first = page.locator(`${selector}, .error`).first();
  await first.waitFor({ timeout });
  if (await first.evaluate((el) => el.classList.contains("error"))) {
    assert.fail(`the page shows an error instead of ${selector}: ${await first.textContent()}`);
  }
}

/** Clicks `selector`, waits for the file the page downloads and returns its name and text. */
async function downloaded(selector: string): Promise<{ name: string; text: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), page.click(selector)]);
  const file = join(rd.dir, `download-${Date.now()}-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  const bytes = readFileSync(file);
  return { name: dl.suggestedFilename(), text: bytes.toString("utf8"), bytes };
}

const csvLineCount = (text: string) => text.trimEnd().split("\n").length;

function assertNoPageProblems(): void {
  assert.deepEqual(pageProblems.splice(0), [], "errors in the page");
}

/** `WHERE` terms for parameter values (NULL-safe). */
const sqlIs = (col: string, v: number | null) => (v === null ? `${col} IS NULL` : `${col} = ${v}`);

/** Runs a small hybrid_dollar grid (3 days of 1-second bars) into `db`; returns its job id. */
function runHybridJob(db: string): string {
  const data = join(rd.dir, "hybrid-data");
  const synth = pairgrid(
    ["data", "synth", "--out", data, "--days", "3", "--seed", "13", "--fast-seconds", "1"],
    rd.env,
  );
  assert.equal(synth.status, 0, synth.stderr);
  const base = specObject(
    { ols_window: [100, 150], zscore_window: 40, z_entry: [1.5, 2], dollar_tp: 300, dollar_sl: 250 },
    { name: "dashboard-hybrid", engine: "hybrid_dollar", rank: { by: "sharpe", min_trades: 1, folds: 4 } },
  ) as { data: { a: object; b: object } };
  const spec = {
    ...base,
    data: {
      ...base.data,
      a: { ...base.data.a, slow: join(data, "NQ.csv"), fast: join(data, "NQ_fast.csv") },
      b: { ...base.data.b, slow: join(data, "YM.csv"), fast: join(data, "YM_fast.csv") },
      fast_seconds: 1,
    },
  };
  const file = writeSpec(rd, "hybrid.json", spec);
  return runToEnd(rd, [file, "--db", db, "--threads", "1", "--quiet"]).jobId;
}

/**
 * A `pairgrid run` into `db` SIGKILLed once it has stored chunks: its job stays `running` in the
 * file, and readers show it interrupted with the command that resumes it.
 */
async function runKilledJob(db: string): Promise<{ jobId: string; resume: string }> {
  const spec = writeSpec(rd, "killed.json", specObject(PARAMS, { name: "dashboard-killed" }));
  const child = spawnPairgrid(["run", spec, "--db", db, "--threads", "1", "--chunk-size", "50"], rd.env);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (/^progress: /m.test(stderr)) child.kill("SIGKILL");
  });
  const [, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  assert.equal(signal, "SIGKILL", `killed mid-run: ${stderr}`);
  const jobId = /^job ([0-9a-f]{8})$/m.exec(stdout)![1]!;
  return { jobId, resume: `pairgrid run ${spec} --db ${db} --resume ${jobId}` };
}

before(async () => {
  // No silent skip: the browser tests are part of the suite, and a missing browser is a setup error.
  assert.ok(
    existsSync(CHROMIUM),
    `chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set PAIRGRID_CHROMIUM`,
  );
  mkdirSync(SHOTS, { recursive: true });
  rd = makeRunDir("dashboard", 120, 17);
  cluster = await TestCluster.start(rd, { workers: 1, threads: 2, token: TOKEN });
  profile = mkdtempSync(join(tmpdir(), "pairgrid-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (err) => pageProblems.push(`pageerror: ${err.message}`));
  // a failed load is listed with its URL by the response handler; other console errors as they are
  page.on("console", (msg) => {
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource"))
      pageProblems.push(`console: ${msg.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) pageProblems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on("requestfailed", (r) => {
    // leaving a page aborts its open event streams; that is not a failure
    if (!r.url().includes("/events")) pageProblems.push(`failed ${r.url()}: ${r.failure()?.errorText}`);
  });
});

beforeEach(() => {
  pageProblems.length = 0;
});

after(async () => {
  await browser?.close();
  serve?.kill("SIGKILL");
  await cluster?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (rd) rmSync(rd.dir, { recursive: true, force: true });
});

test("jobs list: a running job's bar moves over SSE until done", { timeout: 120_000 }, async () => {
  const c = cluster!;
  const res = await fetch(`${c.url}/jobs?chunk_size=${CHUNK_SIZE}`, {
    method: "POST",
    headers: c.headers({ "content-type": "application/json" }),
    body: JSON.stringify(
      specObject(PARAMS, { name: "dashboard-e2e", rank: { by: "sharpe", min_trades: 5, folds: 8 } }),
    ),
  });
  assert.equal(res.status, 201, await res.clone().text());
  ({ job_id: jobId } = (await res.json()) as { job_id: string });

  const streams: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes(`/jobs/${jobId}/events`)) streams.push(r.url());
  });
  await page.goto(`${c.url}/?token=${TOKEN}#/`);
  const bar = page.locator(`tr[data-job="${jobId}"] .progress`);
  const seen: { progress: number; status: string }[] = [];
  let midShot = false;
  const t0 = Date.now();
  for (;;) {
    const s = await bar.evaluate((el) => ({
      progress: Number(el.getAttribute("data-progress")),
      status: el.getAttribute("data-status") ?? "",
    }));
    if (seen.length === 0 || seen.at(-1)!.progress !== s.progress || seen.at(-1)!.status !== s.status)
      seen.push(s);
    if (!midShot && s.status === "running" && s.progress > 0) {
      await shot("jobs-running");
      midShot = true;
    }
    if (s.status !== "running") break;
    assert.ok(Date.now() - t0 < 100_000, `job still running: ${JSON.stringify(seen.at(-1))}\n${c.logs()}`);
    await sleep(50);
  }
  assert.equal(seen.at(-1)!.status, "done", JSON.stringify(seen));
  assert.equal(seen.at(-1)!.progress, 1);
  assert.equal(seen[0].status, "running", "the page saw the job while it ran");
  const between = seen.filter((s) => s.progress > 0 && s.progress < 1);
  assert.ok(between.length >= 2, `intermediate progress seen: ${JSON.stringify(seen)}`);
  // progress came over the event stream, which carries the token in the query string
  assert.ok(streams.length >= 1, "an EventSource on /jobs/:id/events");
  assert.match(streams[0], new RegExp(`access_token=${TOKEN}`));
  assert.doesNotMatch(page.url(), /token=/, "the token leaves the address bar");
  await shot("jobs-done");
  assertNoPageProblems();
});

test("heatmap: cells drawn from the API, a value matches SQL, a click opens the combination", async () => {
  await page.click(`tr[data-job="${jobId}"] a >> nth=0`);
  await waitForView("table.ranked tbody tr");
  await shot("ranked");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(`/jobs/${jobId}/heatmap`)),
    page.click("nav.tabs a:has-text('Heatmap')"),
  ]);
  assert.equal(response.status(), 200);
  const hm = (await response.json()) as {
    x: { name: string; values: (number | null)[] };
    y: { name: string; values: (number | null)[] };
    stat: string;
    agg: string;
    cells: (number | null)[][];
  };
  await waitForView(".heatmap-chart canvas");
  const cells = page.locator("table.heatmap-table td[data-x]");
  await cells.first().waitFor();
  assert.equal(await cells.count(), hm.x.values.length * hm.y.values.length);
  // every cell of the table holds the API's number
  const shown = await cells.evaluateAll((tds) =>
    tds.map((td) => {
      const value = td.getAttribute("data-value");
      return [
        Number(td.getAttribute("data-x")),
        Number(td.getAttribute("data-y")),
        value ? Number(value) : null,
      ] as const;
    }),
  );
  for (const [xi, yi, v] of shown) assert.equal(v, hm.cells[yi][xi], `cell ${xi},${yi}`);

  // the best cell (bold in the table); its value is checked against the results file later
  const best = page.locator("table.heatmap-table td.best").first();
  const xi = Number(await best.getAttribute("data-x"));
  const yi = Number(await best.getAttribute("data-y"));
  const value = Number(await best.getAttribute("data-value"));
  shownCell = { x: hm.x.name, xv: hm.x.values[xi], y: hm.y.name, yv: hm.y.values[yi], stat: hm.stat, value };
  assert.equal(hm.agg, "max");
  await shot("heatmap");

  // the same figure through the page's SQL box (POST /query)
  await page.click("nav.tabs a:has-text('SQL')");
  const sql =
    `SELECT max(${hm.stat}) AS v FROM results WHERE job_id = '${jobId}' AND ` +
    `${sqlIs(hm.x.name, hm.x.values[xi])} AND ${sqlIs(hm.y.name, hm.y.values[yi])}`;
  await page.fill("textarea.sql", sql);
  await page.click("form.sql-form button[type=submit]");
  await waitForView("table.sql-table tbody td");
  const out = page.locator("table.sql-table tbody td").first();
  assert.ok(Math.abs(Number(await out.textContent()) - value) <= 1e-6 * Math.max(1, Math.abs(value)));
  // the coordinator's file is read through a snapshot: the status line says when it was taken
  const status = await page.locator("text=/^1 row in [\\d,.]+ ms · data as of /").textContent();
  assert.match(status ?? "", /data as of \d/);
  await shot("sql");

  // back to the heatmap: a click on a cell that maps to a combination opens it
  await page.click("nav.tabs a:has-text('Heatmap')");
  const clickable = page.locator("table.heatmap-table td.clickable").first();
  await clickable.waitFor();
  const combo = await clickable.getAttribute("data-combo");
  await clickable.click();
  await page.waitForURL(new RegExp(`#/job/${jobId}/combo/${combo}$`));
  await waitForView(".equity-chart canvas", 60_000);
  assertNoPageProblems();
});

const count = (text: string | null) => Number(text!.replaceAll(",", ""));

/**
 * Opens the ranked table's first row and checks the combination page against it: one trade row per
 * trade, exit reasons adding up. The page's trades are the reference (slow) engine's; on a hybrid
 * job the ranked row is the hybrid run's, which the comparison's hybrid column shows instead.
 */
async function checkTopCombo(name: string, o: { hybrid?: boolean; tools?: boolean } = {}): Promise<void> {
  await waitForView("table.ranked tbody tr");
  const row = page.locator("table.ranked tbody tr").first();
  const combo = await row.getAttribute("data-combo");
  const nTrades = count(await row.locator('td[data-stat="n_trades"]').textContent());
  assert.ok(nTrades > 0, "the top row has trades");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/combos/${combo}`), { timeout: 60_000 }),
    row.click(),
  ]);
  const report = (await response.json()) as {
    trades: unknown[];
    hybrid: { stats: { n_trades: number } } | null;
    command: string;
    session_tz: string;
    hedge: string;
  };
  await page.waitForURL(new RegExp(`/combo/${combo}$`));
  await waitForView(".equity-chart canvas", 60_000);
  await page.locator(".reasons-chart canvas").first().waitFor();
  const trades = page.locator("table.trades tbody tr");
  await trades.first().waitFor();
  const shown = await trades.count();
  assert.equal(shown, report.trades.length, "one table row per trade");
  if (o.hybrid) {
    assert.ok(report.hybrid, "a hybrid comparison");
    assert.equal(report.hybrid.stats.n_trades, nTrades, "the hybrid run is the ranked row");
    const cell = page.locator('table.hybrid-table tr[data-stat="n_trades"] td[data-side="hybrid"]');
    assert.equal(count(await cell.textContent()), nTrades);
  } else {
    assert.equal(shown, nTrades, "one table row per trade of the ranked row");
  }
  const reasons = await page
    .locator("table.reasons tbody tr td:nth-child(2)")
    .evaluateAll((tds) => tds.map((td) => Number(td.textContent!.replaceAll(",", ""))));
  assert.equal(
    reasons.reduce((a, b) => a + b, 0),
    shown,
    "exit reasons add up to the trades",
  );
  // the z-score chart with its bands and trade markers, zoom linked to the equity chart
  await page.locator(".signal-chart canvas").first().waitFor();
  // times in the session's zone, named; only the hedge's own parameters as chips
  assert.equal(
    await page.locator('table.trades th[data-col^="entry ("]').textContent(),
    `entry (${report.session_tz})`,
  );
  const chips = await page.locator(".chips .chip").allTextContents();
  const hidden = report.hedge === "ols" ? ["delta ", "ve "] : ["ols_window "];
  for (const c of chips)
    for (const name of hidden) assert.ok(!c.startsWith(name), `chip ${c} on a ${report.hedge} job`);
  assert.equal(await page.locator("code.command").textContent(), report.command);
  if (o.tools) {
    // copy: the command lands on the clipboard
    await page.click("button.copy-command");
    await page.locator(".copy-status:has-text('copied')").waitFor();
    assert.equal(await page.evaluate("navigator.clipboard.readText()"), report.command);
    // downloads: the trades as CSV (one line per trade) and the equity as Parquet
    const trades = await downloaded('[data-download="trades-csv"]');
    assert.match(trades.name, new RegExp(`combo-${combo}-trades\\.csv$`));
    assert.equal(csvLineCount(trades.text), report.trades.length + 1);
    assert.match(trades.text.split("\n")[0]!, /^side,entry_i,exit_i,entry_ts,exit_ts,/);
    const equity = await downloaded('[data-download="equity-parquet"]');
    assert.equal(equity.bytes.subarray(0, 4).toString("latin1"), "PAR1", "a Parquet file");
  }
  await shot(name);
}

test(
  "combination page: equity and drawdown, exit reasons, one row per trade",
  { timeout: 90_000 },
  async () => {
    await browser.grantPermissions(["clipboard-read", "clipboard-write"], { origin: cluster!.url });
    await page.goto(`${cluster!.url}/#/job/${jobId}`);
    await checkTopCombo("combo", { tools: true });
    assertNoPageProblems();
  },
);

test(
  "one ranking, downloads, heatmap counts and slider, explore: importance and parallel coordinates",
  { timeout: 120_000 },
  async () => {
    const c = cluster!;
    // the ranked table starts from the job's rank (min_trades 5), as `pairgrid top` does
    await page.goto(`${c.url}/#/job/${jobId}`);
    await waitForView("table.ranked tbody tr");
    assert.equal(await page.locator(".controls input.narrow").first().inputValue(), "5");
    const api = (await (
      await fetch(`${c.url}/jobs/${jobId}/results?limit=5`, { headers: c.headers() })
    ).json()) as { combo_id: number }[];
    const shownIds = await page
      .locator("table.ranked tbody tr")
      .evaluateAll((trs) => trs.slice(0, 5).map((tr) => Number(tr.getAttribute("data-combo"))));
    assert.deepEqual(
      shownIds,
      api.map((r) => r.combo_id),
      "the table's first rows are GET /results' (same defaults, same ties)",
    );
    const total = Number(await page.locator("table.ranked").getAttribute("data-total"));
    // twins (rows with identical statistics) are listed once, with "+N identical" as the API says
    const rowsApi = async (all: string) =>
      (await (
        await fetch(`${c.url}/jobs/${jobId}/rows?min_trades=5${all}`, { headers: c.headers() })
      ).json()) as { total: number; rows: { combo_id: number; n_identical?: number }[] };
    const [distinct, every] = [await rowsApi(""), await rowsApi("&all=1")];
    assert.equal(distinct.total, total);
    const withTwins = distinct.rows.filter((r) => (r.n_identical ?? 0) > 0);
    assert.ok(withTwins.length > 0, "the e2e grid has twins on its first page");
    assert.ok(every.total > total, `all=1 lists every row: ${every.total} > ${total}`);
    for (const r of withTwins.slice(0, 5)) {
      const cell = page.locator(`table.ranked tr[data-combo="${r.combo_id}"] td.twins`);
      assert.equal(Number(await cell.getAttribute("data-identical")), r.n_identical);
      assert.match((await cell.textContent())!, /^\+[\d,]+ identical( \(.+\))?$/);
    }
    const rows = await downloaded('[data-download="rows-csv"]');
    assert.equal(csvLineCount(rows.text), total + 1, "every filtered row, not one page");
    assert.equal(Number(rows.text.split("\n")[1]!.split(",")[0]), shownIds[0]);
    await shot("ranked-download");

    // a twin's combination page says which row it is identical to (the one rankings list)
    const first = withTwins[0]!.combo_id;
    const twinQuery = await fetch(`${c.url}/query`, {
      method: "POST",
      headers: c.headers({ "content-type": "application/json" }),
      body: JSON.stringify({
        sql: `SELECT min(combo_id) FROM results WHERE job_id = '${jobId}' AND same_as = ${first}`,
      }),
    });
    const twin = Number(((await twinQuery.json()) as { rows: unknown[][] }).rows[0]![0]);
    await page.goto(`${c.url}/#/job/${jobId}/combo/${twin}`);
    await waitForView(".twins-note");
    assert.equal(Number(await page.locator(".twins-note").getAttribute("data-same-as")), first);
    assert.match((await page.locator(".twins-note").textContent())!, new RegExp(`combination ${first}\\b`));
    await page.goto(`${c.url}/#/job/${jobId}`);
    await waitForView("table.ranked tbody tr");

    // heatmap: each cell says how many rows it holds; the slider pins a third parameter
    await page.click("nav.tabs a:has-text('Heatmap')");
    await waitForView("table.heatmap-table td[data-x]");
    const counts = await page
      .locator("table.heatmap-table td[data-x]")
      .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute("data-count"))));
    assert.ok(
      counts.some((n) => n > 1),
      "aggregated cells count their rows",
    );
    assert.ok((await page.locator("table.heatmap-table .cell-count").count()) > 0);
    const third = await page.locator('select[name="slider-param"] option').nth(1).getAttribute("value");
    await Promise.all([
      page.waitForResponse(
        (r) => r.url().includes("/heatmap") && r.url().includes(encodeURIComponent(`"${third}"`)),
      ),
      page.selectOption('select[name="slider-param"]', third!),
    ]);
    const slider = page.locator('input[name="slider"]');
    await slider.waitFor();
    const [moved] = await Promise.all([
      page.waitForResponse((r) => r.url().includes("/heatmap")),
      slider.fill("1"),
    ]);
    const fix = JSON.parse(new URL(moved.url()).searchParams.get("fix")!) as Record<string, unknown>;
    const axis = (
      (await (await fetch(`${c.url}/jobs/${jobId}/grid`, { headers: c.headers() })).json()) as {
        params: { name: string; values: unknown[] }[];
      }
    ).params.find((p) => p.name === third)!;
    assert.deepEqual(fix[third!], axis.values[1], "the slider's second stop pins its second value");
    await shot("heatmap-slider");

    // explore: importance of every varying axis, and the top rows as parallel lines
    await page.click("nav.tabs a:has-text('Explore')");
    await waitForView("table.importance tbody tr");
    await page.locator(".parallel-chart canvas").first().waitFor();
    const shares = await page
      .locator("table.importance tbody tr")
      .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute("data-share"))));
    const grid = (await (await fetch(`${c.url}/jobs/${jobId}/grid`, { headers: c.headers() })).json()) as {
      params: unknown[];
    };
    assert.equal(shares.length, grid.params.length);
    for (const sh of shares) assert.ok(sh >= 0 && sh <= 1, `share ${sh}`);
    assert.ok(Number(await page.locator(".parallel-chart").getAttribute("data-lines")) > 0);
    await shot("explore");

    // SQL: the whole result downloads, past the page's row cap
    await page.click("nav.tabs a:has-text('SQL')");
    await page.fill(
      "textarea.sql",
      `SELECT combo_id, sharpe FROM results WHERE job_id = '${jobId}' ORDER BY combo_id`,
    );
    const sql = await downloaded('[data-download="sql-csv"]');
    assert.equal(sql.name, "query.csv");
    const n = (
      (await (await fetch(`${c.url}/jobs/${jobId}`, { headers: c.headers() })).json()) as { n_done: number }
    ).n_done;
    assert.equal(csvLineCount(sql.text), n + 1);
    assertNoPageProblems();
  },
);

test(
  "robustness tab: PBO and walk-forward shown, on data said to be synthetic",
  { timeout: 90_000 },
  async () => {
    await page.goto(`${cluster!.url}/#/job/${jobId}/robustness`);
    await waitForView("[data-figure=pbo]", 60_000);
    await page.locator(".lambda-chart canvas").first().waitFor();
    assert.ok((await page.locator("table.walk-forward tbody tr").count()) > 0, "walk-forward rows");
    // the stitched out-of-sample equity, a line of explanation per figure, tables that fit the page
    await page.locator(".stitched-chart canvas").first().waitFor();
    assert.ok((await page.locator(".card .card-help").count()) >= 4);
    const overflow = await page
      .locator("table.walk-forward")
      .evaluateAll((ts) => ts.map((t) => t.scrollWidth - t.parentElement!.clientWidth));
    for (const o of overflow) assert.ok(o <= 0, `walk-forward table wider than its box by ${o}px`);
    const badge = page.locator(".job-header .badge.synthetic");
    await badge.waitFor();
    assert.equal(await badge.textContent(), "synthetic data (model market, seed 17)"); // makeRunDir(…, 17)
    await shot("robustness");
    assertNoPageProblems();
  },
);

test("an API error is shown with the server's message", async () => {
  // the job page fetches the job and its grid in parallel and shows the first failure: both 404s
  // must have landed before this test takes the page problems, or the late one fails the next test
  const failed = ["/jobs/nosuchjob", "/jobs/nosuchjob/grid"].map((path) =>
    page.waitForResponse((r) => new URL(r.url()).pathname === path),
  );
  await page.goto(`${cluster!.url}/#/job/nosuchjob`);
  const box = page.locator(".error").first();
  await box.waitFor();
  assert.match((await box.textContent())!, /no job 'nosuchjob'/);
  await Promise.all(failed);
  // the failed calls are the expected 404s, and nothing else went wrong
  const problems = pageProblems.splice(0);
  assert.ok(problems.length > 0);
  for (const p of problems) assert.match(p, /^404 GET .*\/jobs\/nosuchjob/);
});

test(
  "pairgrid serve over the results file: jobs list, a combination page, slow vs hybrid",
  { timeout: 90_000 },
  async () => {
    await cluster!.stop();
    cluster = null;
    // the heatmap's best cell against SQL over the closed file (not through the code under test)
    const c = shownCell!;
    const [[want]] = (await withResultsFiles([join(rd.dir, "cluster.duckdb")], (q) =>
      q(
        `SELECT max(${c.stat}) FROM db0.results WHERE job_id = '${jobId}' AND ${sqlIs(c.x, c.xv)} AND ${sqlIs(c.y, c.yv)}`,
      ),
    )) as [[number]];
    assert.ok(
      Math.abs(want - c.value) <= 1e-9 * Math.max(1, Math.abs(want)),
      `heatmap ${c.value} vs SQL ${want}`,
    );

    // a hybrid job in the same file (`pairgrid run`: the cluster refuses hybrid grids), so that a
    // combination page has fast data and shows the slow-vs-hybrid comparison
    const hybridJob = runHybridJob(join(rd.dir, "cluster.duckdb"));
    // and a local run killed mid-way (SIGKILL: it could not mark its job)
    const killed = await runKilledJob(join(rd.dir, "cluster.duckdb"));

    const port = await freePort();
    serve = spawnPairgrid(["serve", "--db", join(rd.dir, "cluster.duckdb"), "--port", String(port)], rd.env);
    const log: string[] = [];
    serve.stderr!.on("data", (d: Buffer) => log.push(d.toString()));
    const url = `http://127.0.0.1:${port}`;
    const t0 = Date.now();
    while (
      !(await fetch(`${url}/`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      assert.ok(serve.exitCode === null, `pairgrid serve exited ${serve.exitCode}: ${log.join("")}`);
      assert.ok(Date.now() - t0 < 20_000, `pairgrid serve did not come up: ${log.join("")}`);
      await sleep(100);
    }
    await page.goto(`${url}/#/`);
    const bar = page.locator(`tr[data-job="${jobId}"] .progress`);
    await bar.waitFor();
    assert.equal(await bar.getAttribute("data-status"), "done");
    assert.equal(Number(await bar.getAttribute("data-progress")), 1);
    // the killed run's job: interrupted, with the command that finishes it
    const killedRow = page.locator(`tr[data-job="${killed.jobId}"]`);
    assert.equal(await killedRow.locator(".badge").getAttribute("data-status"), "interrupted");
    assert.equal(await killedRow.locator(".progress").getAttribute("data-status"), "interrupted");
    assert.equal(await killedRow.locator(".resume-command").textContent(), killed.resume);
    await shot("serve-jobs");
    await page.click(`tr[data-job="${jobId}"] a >> nth=0`);
    await checkTopCombo("serve-combo");

    await page.goto(`${url}/#/job/${hybridJob}`);
    await checkTopCombo("serve-hybrid", { hybrid: true });
    const hybrid = page.locator("section.hybrid");
    assert.match((await hybrid.locator("h2").textContent())!, /hybrid_dollar/);
    assert.ok((await hybrid.locator("table.hybrid-table tbody tr").count()) > 10, "statistics compared");
    assertNoPageProblems();
    const code = await new Promise<number | null>((r) => {
      if (serve!.exitCode !== null) return r(serve!.exitCode);
      serve!.once("exit", (c) => r(c));
      serve!.kill("SIGTERM");
    });
    serve = null;
    assert.equal(code, 0, `pairgrid serve exit code after SIGTERM: ${log.join("")}`);
  },
);
