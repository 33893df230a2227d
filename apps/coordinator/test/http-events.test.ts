// GET /jobs/:id/events over a real socket: Server-Sent Events read with fetch, as a browser's
// EventSource would see them.
import assert from "node:assert/strict";
import { once } from "node:events";
import { get, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { makeServer } from "./http-fake-jobs.js";

const { app, jobs } = makeServer({ sseMinIntervalMs: 100, sseKeepaliveMs: 60_000 });
let base = "";
before(async () => {
  await app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
after(() => app.close());

interface SseMessage {
  event?: string;
  data?: unknown;
  comment?: string;
}

/** Reads an event stream, one parsed message at a time (blocks separated by a blank line). */
async function* messages(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf("\n\n")) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const msg: SseMessage = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(": ")) msg.comment = line.slice(2);
        else if (line.startsWith("event: ")) msg.event = line.slice(7);
        else if (line.startsWith("data: ")) msg.data = JSON.parse(line.slice(6));
      }
      yield msg;
    }
  }
}

/** Every message until the server closes the stream (bounded, so a hang fails the test). */
async function readAll(res: Response, timeoutMs = 5000): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  const timer = setTimeout(() => void res.body!.cancel(), timeoutMs);
  try {
    for await (const msg of messages(res.body!)) out.push(msg);
  } finally {
    clearTimeout(timer);
  }
  return out;
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await sleep(10);
  assert.ok(cond(), `timed out waiting for ${what}`);
}

test("a job's stream: progress at once, progress on change, end when done, then closed", async () => {
  const view = jobs.add("streamed");
  const res = await fetch(`${base}/jobs/${view.job_id}/events`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  const reading = readAll(res);

  await until(() => jobs.watcherCount(view.job_id) === 1, "the stream to subscribe");
  jobs.setStatus(view.job_id, { n_done: 50, progress: 0.5 });
  await sleep(150);
  jobs.setStatus(view.job_id, { status: "done", n_done: 100, progress: 1 });

  const got = await reading;
  assert.deepEqual(
    got.map((m) => m.event),
    ["progress", "progress", "end"],
  );
  assert.deepEqual(got[0].data, view);
  assert.equal((got[1].data as { progress: number }).progress, 0.5);
  assert.equal((got[2].data as { status: string }).status, "done");
  assert.equal(jobs.watcherCount(view.job_id), 0, "unsubscribed after the end");
});

test("a burst of changes is coalesced, and the newest view is the one sent", async () => {
  const view = jobs.add("bursty");
  const res = await fetch(`${base}/jobs/${view.job_id}/events`);
  const reading = readAll(res);
  await until(() => jobs.watcherCount(view.job_id) === 1, "the stream to subscribe");
  for (let i = 1; i <= 50; i++) jobs.setStatus(view.job_id, { n_done: i });
  await sleep(250);
  jobs.setStatus(view.job_id, { status: "failed", error: "worker died" });

  const got = await reading;
  const progress = got.filter((m) => m.event === "progress");
  // the first view, then at most a couple of coalesced ones for 50 changes
  assert.ok(progress.length >= 2 && progress.length <= 3, `${progress.length} progress events`);
  assert.equal((progress.at(-1)!.data as { n_done: number }).n_done, 50);
  assert.equal(got.at(-1)!.event, "end");
  assert.equal((got.at(-1)!.data as { error: string }).error, "worker died");
});

test("a job that is already finished gets its view and end at once", async () => {
  const view = jobs.add("finished", "cancelled");
  const got = await readAll(await fetch(`${base}/jobs/${view.job_id}/events`));
  assert.deepEqual(
    got.map((m) => m.event),
    ["progress", "end"],
  );
  assert.equal(jobs.watcherCount(view.job_id), 0);
});

test("a client that leaves is unsubscribed", async () => {
  const view = jobs.add("abandoned");
  // node:http rather than fetch: an aborted fetch makes undici open a spare connection that would
  // hold app.close() for its 4 s keep-alive
  const req = get(`${base}/jobs/${view.job_id}/events`);
  const res = await new Promise<IncomingMessage>((resolve) => req.on("response", resolve));
  assert.equal(res.statusCode, 200);
  const [firstChunk] = (await once(res, "data")) as [Buffer];
  assert.match(firstChunk.toString(), /^event: progress\n/);
  await until(() => jobs.watcherCount(view.job_id) === 1, "the stream to subscribe");
  req.on("error", () => {}); // destroying our own request reports ECONNRESET
  req.destroy();
  await until(() => jobs.watcherCount(view.job_id) === 0, "the stream to unsubscribe");
});

test("an unknown job is a JSON 404, not a stream", async () => {
  const res = await fetch(`${base}/jobs/nope/events`);
  assert.equal(res.status, 404);
  assert.equal(((await res.json()) as { error: string }).error, "not_found");
});

test("keepalive comments flow while a job is quiet, and close() ends open streams", async () => {
  const quiet = makeServer({ sseKeepaliveMs: 50 });
  await quiet.app.listen({ port: 0, host: "127.0.0.1" });
  const port = (quiet.app.server.address() as AddressInfo).port;
  const view = quiet.jobs.add("quiet");
  const res = await fetch(`http://127.0.0.1:${port}/jobs/${view.job_id}/events`);
  const reading = readAll(res);
  await sleep(180);
  await quiet.app.close(); // would hang if the open stream held the server
  const got = await reading;
  assert.equal(got[0].event, "progress");
  assert.ok(got.filter((m) => m.comment === "keepalive").length >= 2, JSON.stringify(got));
  assert.equal(quiet.jobs.watcherCount(view.job_id), 0);
});
