import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MetricsPush, type MetricsTimers } from "../../../src/run/metrics-push.js";

/** A loopback HTTP server that keeps what is pushed to it and answers `status`. */
interface Receiver {
  readonly url: string;
  readonly requests: Array<{ method: string; path: string; body: string; authorization?: string }>;
  status: number;
}

let server: Server;
const receiver: Receiver = { url: "", requests: [], status: 200 };

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      receiver.requests.push({ method: request.method ?? "", path: request.url ?? "", body, authorization: request.headers.authorization });
      response.statusCode = receiver.status;
      response.end(receiver.status >= 400 ? "refused" : "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  (receiver as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Timers that fire only when the test says so. */
function manualTimers(): MetricsTimers & { tick(): void; now(): number; cleared: boolean; intervalMs?: number } {
  let callback: (() => void) | undefined;
  const timers = {
    cleared: false,
    intervalMs: undefined as number | undefined,
    clock: 1_000_000,
    setInterval(fn: () => void, ms: number) {
      callback = fn;
      timers.intervalMs = ms;
      return 1;
    },
    clearInterval() {
      timers.cleared = true;
    },
    now: () => timers.clock,
    tick() {
      timers.clock += 10_000;
      callback?.();
    },
  };
  return timers;
}

function sample(body: string, series: string): number | undefined {
  const line = body.split("\n").find((text) => text.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Waits until the receiver has had `count` requests (a push runs on its own). */
async function received(count: number): Promise<void> {
  for (let waited = 0; receiver.requests.length < count && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("MetricsPush", () => {
  it("pushes the run's figures by POST under the pipeline's job on each tick, and the end with exit code and success time", async () => {
    receiver.requests.length = 0;
    receiver.status = 200;
    const timers = manualTimers();
    const warnings: string[] = [];
    const metrics = await MetricsPush.start("nightly people", { url: receiver.url, timers }, (message) => warnings.push(message));
    expect(timers.intervalMs).toBe(10_000);
    metrics.onEvent({ type: "task-start", stage: "nodes", task: "people", source: "people.csv", totalBytes: undefined, batchesSkipped: 0, rowsBeforeResume: 0 });
    metrics.onEvent({ type: "records", stage: "nodes", task: "people", read: 10, filtered: 2, skipped: 0 });
    metrics.onEvent({ type: "batch", stage: "nodes", task: "people", rows: 8, written: 7, counters: {}, transactions: 1, latencyMs: 5 });
    metrics.onEvent({ type: "rejected", stage: "nodes", task: "people", line: 3, code: "GL_INVALID_VALUE", message: "bad", row: {}, unmatched: false });
    metrics.onEvent({ type: "retry", stage: "nodes", task: "people", attempt: 1, deadlock: false, error: { code: "GL_ERROR", message: "lost" } });
    timers.tick();
    await received(1);
    expect(receiver.requests).toHaveLength(1);
    const [tick] = receiver.requests;
    expect(tick.method).toBe("POST");
    expect(tick.path).toBe("/metrics/job/nightly%20people");
    expect(sample(tick.body, 'graphload_rows_total{task="people",outcome="read"}')).toBe(10);
    expect(sample(tick.body, 'graphload_rows_total{task="people",outcome="written"}')).toBe(7);
    expect(sample(tick.body, 'graphload_rows_total{task="people",outcome="rejected"}')).toBe(1);
    expect(sample(tick.body, 'graphload_rows_total{task="people",outcome="filtered"}')).toBe(2);
    expect(sample(tick.body, 'graphload_batches_total{task="people"}')).toBe(1);
    expect(sample(tick.body, 'graphload_retries_total{task="people"}')).toBe(1);
    expect(sample(tick.body, "graphload_run_duration_seconds")).toBe(10);
    // While the run goes, the last finished run's exit code and success time stay in the gateway.
    expect(tick.body).not.toContain("graphload_run_exit_code");
    expect(tick.body).not.toContain("graphload_last_success_timestamp_seconds");

    await metrics.finish({ exitCode: 3, durationMs: 12_500, completed: true });
    expect(timers.cleared).toBe(true);
    expect(receiver.requests).toHaveLength(2);
    const end = receiver.requests[1].body;
    expect(sample(end, "graphload_run_exit_code")).toBe(3);
    expect(sample(end, "graphload_run_duration_seconds")).toBe(12.5);
    expect(sample(end, "graphload_last_success_timestamp_seconds")).toBe(timers.now() / 1000);
    expect(warnings).toEqual([]);
  });

  it("leaves the success time out of a failed run's last push", async () => {
    receiver.requests.length = 0;
    receiver.status = 200;
    const metrics = await MetricsPush.start("failing", { url: receiver.url, timers: manualTimers() }, () => undefined);
    await metrics.finish({ exitCode: 1, durationMs: 1000, completed: false });
    expect(sample(receiver.requests[0].body, "graphload_run_exit_code")).toBe(1);
    expect(receiver.requests[0].body).not.toContain("graphload_last_success_timestamp_seconds");
  });

  it("warns once when pushes fail, says why, never shows the URL's password, and does not throw", async () => {
    receiver.requests.length = 0;
    receiver.status = 500;
    const timers = manualTimers();
    const warnings: string[] = [];
    const url = receiver.url.replace("http://", "http://metrics:s3cret-pw@");
    const metrics = await MetricsPush.start("refused", { url, timers }, (message) => warnings.push(message));
    timers.tick();
    timers.tick();
    await metrics.finish({ exitCode: 0, durationMs: 1000, completed: true });
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.requests[0].authorization).toBe(`Basic ${Buffer.from("metrics:s3cret-pw").toString("base64")}`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("status 500");
    expect(warnings[0]).toContain(receiver.url.replace("http://", "http://metrics:***@"));
    expect(warnings[0]).not.toContain("s3cret-pw");
  });

  it("warns when the gateway cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const warnings: string[] = [];
    const metrics = await MetricsPush.start("unreachable", { url: `http://127.0.0.1:${port}`, timers: manualTimers() }, (message) => warnings.push(message));
    await metrics.finish({ exitCode: 0, durationMs: 1, completed: true });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ECONNREFUSED/);
  });
});
