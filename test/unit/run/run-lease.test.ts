import { describe, expect, it } from "vitest";
import { GraphloadError } from "../../../src/errors.js";
import { RunLease, thisProcess, type LeaseSettings, type ThisProcess } from "../../../src/run/run-lease.js";
import { MemoryCheckpointStore } from "../../support/memory-checkpoint-store.js";
import { ManualLeaseTimer } from "../../support/manual-lease-timer.js";

const SECOND = 1000;
const here = thisProcess();

/** A store whose clock (the server's) the test moves. */
function storeAt(start = Date.UTC(2026, 10, 29, 2, 0, 0)) {
  const clock = { now: start };
  const store = new MemoryCheckpointStore("nightly", { now: () => clock.now });
  return { store, clock, advance: (ms: number) => void (clock.now += ms) };
}

function settings(overrides: Partial<LeaseSettings> = {}): LeaseSettings {
  return { timeoutMs: 60 * SECOND, timer: new ManualLeaseTimer(), process: here, ...overrides };
}

async function refusal(promise: Promise<unknown>): Promise<GraphloadError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GraphloadError);
  return error as GraphloadError;
}

const elsewhere: ThisProcess = { host: "batch-7", pid: 4242, exists: () => true };

describe("the run lease", () => {
  it("is taken when free, and a second run is refused with the holder's host, pid and start", async () => {
    const { store } = storeAt();
    const first = await RunLease.take(store, settings());
    const error = await refusal(RunLease.take(store, settings()));
    expect(error.code).toBe("GL_RUN_IN_PROGRESS");
    expect(error.message).toContain(`host ${here.host}, pid ${here.pid}, started 2026-11-29T02:00:00.000Z`);
    expect(store.storedLease?.token).toBe(first.token);
    await first.release();
    expect(store.storedLease).toBeUndefined();
    await (await RunLease.take(store, settings())).release();
  });

  it("of another host is taken over only once it has gone unrenewed for the timeout, by the store's clock", async () => {
    const { store, advance } = storeAt();
    const timer = new ManualLeaseTimer();
    const holder = await RunLease.take(store, settings({ process: elsewhere, timer }));
    holder.keep(() => undefined);
    advance(59 * SECOND);
    expect((await refusal(RunLease.take(store, settings()))).code).toBe("GL_RUN_IN_PROGRESS");
    await timer.tick(); // renewed at 59 s
    advance(59 * SECOND);
    expect((await refusal(RunLease.take(store, settings()))).code).toBe("GL_RUN_IN_PROGRESS");
    advance(2 * SECOND);
    const taker = await RunLease.take(store, settings());
    expect(store.storedLease).toMatchObject({ token: taker.token, host: here.host, pid: here.pid });
    await taker.release();
  });

  it("a shorter timeout takes over sooner: the taker's timeout decides", async () => {
    const { store, advance } = storeAt();
    await RunLease.take(store, settings({ process: elsewhere }));
    advance(30 * SECOND);
    expect((await refusal(RunLease.take(store, settings()))).code).toBe("GL_RUN_IN_PROGRESS");
    await (await RunLease.take(store, settings({ timeoutMs: 20 * SECOND }))).release();
  });

  it("of this host whose process is gone is taken over at once; a live one is not", async () => {
    const { store } = storeAt();
    const alive = new Set([4242]);
    const sameHost: ThisProcess = { ...here, pid: 9999, exists: (pid) => alive.has(pid) };
    store.setLease({ token: "dead-run", host: here.host, pid: 4242, pidNamespace: here.pidNamespace, renewedAtMs: Date.UTC(2026, 10, 29, 2, 0, 0) });
    expect((await refusal(RunLease.take(store, settings({ process: sameHost })))).code).toBe("GL_RUN_IN_PROGRESS");
    alive.delete(4242);
    const taker = await RunLease.take(store, settings({ process: sameHost }));
    expect(store.storedLease?.token).toBe(taker.token);
    await taker.release();
  });

  it("of this host whose pid now belongs to a process that started later (a pid used again) is taken over at once", async () => {
    const { store } = storeAt();
    const starts = new Map([[4242, "2000"]]);
    const observer: ThisProcess = { ...here, pid: 9999, pidStart: "5000", exists: (pid) => starts.has(pid), startOf: (pid) => starts.get(pid) };
    store.setLease({ token: "old", host: here.host, pid: 4242, pidNamespace: here.pidNamespace, pidStart: "2000", renewedAtMs: Date.UTC(2026, 10, 29, 2, 0, 0) });
    expect((await refusal(RunLease.take(store, settings({ process: observer })))).code).toBe("GL_RUN_IN_PROGRESS");
    starts.set(4242, "3000");
    const taker = await RunLease.take(store, settings({ process: observer }));
    expect(store.storedLease).toMatchObject({ token: taker.token, pid: 9999, pidStart: "5000" });
    await taker.release();
  });

  it("of another host whose pid is not running here is not judged by that pid", async () => {
    const { store } = storeAt();
    store.setLease({ token: "far", host: "batch-7", pid: 4242, renewedAtMs: Date.UTC(2026, 10, 29, 2, 0, 0) });
    const nobodyRuns: ThisProcess = { ...here, exists: () => false };
    expect((await refusal(RunLease.take(store, settings({ process: nobodyRuns })))).message).toContain("host batch-7, pid 4242");
  });

  it("of this host in another PID namespace (another container) is not judged by its pid", async () => {
    const { store } = storeAt();
    store.setLease({ token: "container", host: here.host, pid: 7, pidNamespace: "pid:[1]", renewedAtMs: Date.UTC(2026, 10, 29, 2, 0, 0) });
    const nobodyRuns: ThisProcess = { ...here, pidNamespace: "pid:[2]", exists: () => false };
    expect((await refusal(RunLease.take(store, settings({ process: nobodyRuns })))).code).toBe("GL_RUN_IN_PROGRESS");
  });

  it("held under this very pid by an earlier process (a restarted container's PID 1) is taken over at once", async () => {
    const { store } = storeAt();
    store.setLease({ token: "before-restart", host: here.host, pid: here.pid, pidNamespace: here.pidNamespace, renewedAtMs: Date.UTC(2026, 10, 29, 2, 0, 0) });
    await (await RunLease.take(store, settings())).release();
  });

  it("tells the run once when a renewal finds another holder, and release then leaves the new holder's lease alone", async () => {
    const { store, advance } = storeAt();
    const timer = new ManualLeaseTimer();
    const paused = await RunLease.take(store, settings({ timer }));
    const lost: GraphloadError[] = [];
    paused.keep((error) => lost.push(error));
    await timer.tick();
    expect(lost).toEqual([]);
    advance(61 * SECOND);
    const taker = await RunLease.take(store, settings({ process: elsewhere }));
    await timer.tick();
    expect(lost.map((error) => error.code)).toEqual(["GL_LEASE_LOST"]);
    expect(lost[0].message).toContain("host batch-7, pid 4242");
    expect(timer.running).toBe(0);
    await paused.release();
    expect(store.storedLease?.token).toBe(taker.token);
  });

  it("keeps renewing through a renewal that fails", async () => {
    const { store } = storeAt();
    const timer = new ManualLeaseTimer();
    const lease = await RunLease.take(store, settings({ timer }));
    const lost: GraphloadError[] = [];
    lease.keep((error) => lost.push(error));
    const renew = store.renewLease.bind(store);
    store.renewLease = async () => {
      throw Object.assign(new Error("connection lost"), { code: "ServiceUnavailable" });
    };
    await timer.tick();
    store.renewLease = renew;
    await timer.tick();
    expect(lost).toEqual([]);
    expect(timer.running).toBe(1);
    await lease.release();
    expect(timer.running).toBe(0);
  });
});
