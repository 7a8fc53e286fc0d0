import type { Counter, Gauge, Registry } from "prom-client";
import { urlWithoutPassword } from "../mask-secrets.js";
import type { RunEvent } from "./run-events.js";

/** Timers of a metrics push, injectable so tests control time. */
export interface MetricsTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface MetricsPushOptions {
  /** The Pushgateway, e.g. `http://pushgateway:9091` (basic-auth credentials may be in the URL). */
  readonly url: string;
  /** Milliseconds between pushes while the run goes; default 10 s. */
  readonly intervalMs?: number;
  readonly timers?: Partial<MetricsTimers>;
}

export const DEFAULT_METRICS_INTERVAL_MS = 10_000;
/** A gateway that does not answer must not hold the end of a run. */
const PUSH_TIMEOUT_MS = 10_000;

const OUTCOMES = ["read", "written", "rejected", "filtered"] as const;
type Outcome = (typeof OUTCOMES)[number];

/** How a run ended, as the last push reports it. */
export interface MetricsOutcome {
  readonly exitCode: number;
  readonly durationMs: number;
  /** The run completed (exit 0, or 3 with rejected rows): its data is loaded. */
  readonly completed: boolean;
}

interface Pushgateway {
  pushAdd(params: { jobName: string }): Promise<unknown>;
}

/**
 * A run's figures, pushed to a Prometheus Pushgateway under job = the pipeline name: every
 * interval while the run goes, and once at the end. It reads the run's events, never the
 * engine's state. Pushes use POST, which replaces only the series pushed, so a run that fails
 * leaves `graphload_last_success_timestamp_seconds` of the last completed run in place, and
 * the exit code stays the last finished run's until this one ends. A push that fails never
 * fails the run: the first failure is reported through `warn`, later ones are not repeated.
 */
export class MetricsPush {
  private readonly registry: Registry;
  private readonly gateway: Pushgateway;
  private readonly rows: Counter<"task" | "outcome">;
  private readonly batches: Counter<"task">;
  private readonly retries: Counter<"task">;
  private readonly duration: Gauge;
  private readonly timers: MetricsTimers;
  private readonly startedAt: number;
  private readonly interval: unknown;
  private pushes: Promise<void> = Promise.resolve();
  private warned = false;
  private readonly password: string;

  private constructor(
    private readonly promClient: typeof import("prom-client"),
    private readonly job: string,
    private readonly warn: (message: string) => void,
    private readonly options: MetricsPushOptions,
  ) {
    this.password = passwordOf(options.url);
    const { Registry, Counter, Gauge } = promClient;
    this.registry = new Registry();
    this.gateway = new promClient.Pushgateway(options.url, { timeout: PUSH_TIMEOUT_MS }, this.registry);
    const registers = [this.registry];
    this.rows = new Counter({ name: "graphload_rows_total", help: "Rows by task and outcome: read, written, rejected, filtered", labelNames: ["task", "outcome"], registers });
    this.batches = new Counter({ name: "graphload_batches_total", help: "Batches committed, by task", labelNames: ["task"], registers });
    this.retries = new Counter({ name: "graphload_retries_total", help: "Batches retried after transient failures, by task", labelNames: ["task"], registers });
    this.duration = new Gauge({ name: "graphload_run_duration_seconds", help: "How long the run has taken", registers });
    this.timers = {
      setInterval: (callback, ms) => setInterval(callback, ms).unref(),
      clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
      now: Date.now,
      ...options.timers,
    };
    this.startedAt = this.timers.now();
    this.interval = this.timers.setInterval(() => this.push(), options.intervalMs ?? DEFAULT_METRICS_INTERVAL_MS);
  }

  /** Loads prom-client (only runs that push metrics pay for it) and starts the periodic pushes. */
  static async start(job: string, options: MetricsPushOptions, warn: (message: string) => void): Promise<MetricsPush> {
    return new MetricsPush(await import("prom-client"), job, warn, options);
  }

  /** Pass every event of the run. */
  readonly onEvent = (event: RunEvent): void => {
    switch (event.type) {
      case "task-start":
        // Zeros from the start, so a rate over the series sees the task begin.
        for (const outcome of OUTCOMES) this.rows.inc({ task: event.task, outcome }, 0);
        this.batches.inc({ task: event.task }, 0);
        this.retries.inc({ task: event.task }, 0);
        return;
      case "records":
        this.count(event.task, "read", event.read);
        this.count(event.task, "filtered", event.filtered);
        return;
      case "batch":
        this.count(event.task, "written", event.written);
        this.batches.inc({ task: event.task });
        return;
      case "rejected":
        this.count(event.task, "rejected", 1);
        return;
      case "retry":
        this.retries.inc({ task: event.task });
        return;
    }
  };

  /** Stops the periodic pushes and pushes the end: duration, exit code, and for a completed run its time. */
  async finish(outcome: MetricsOutcome): Promise<void> {
    this.timers.clearInterval(this.interval);
    const registers = [this.registry];
    new this.promClient.Gauge({ name: "graphload_run_exit_code", help: "Exit code of the last finished run", registers }).set(outcome.exitCode);
    if (outcome.completed) {
      new this.promClient.Gauge({ name: "graphload_last_success_timestamp_seconds", help: "When the last completed run ended (Unix time)", registers }).set(this.timers.now() / 1000);
    }
    this.push(outcome.durationMs);
    await this.pushes;
  }

  private hidePassword(text: string): string {
    return this.password ? text.replaceAll(this.password, "***") : text;
  }

  private count(task: string, outcome: Outcome, rows: number): void {
    if (rows > 0) this.rows.inc({ task, outcome }, rows);
  }

  /** One push after another, so the last one sent is the last one the gateway keeps. */
  private push(durationMs = this.timers.now() - this.startedAt): void {
    this.pushes = this.pushes.then(async () => {
      this.duration.set(durationMs / 1000);
      try {
        await this.gateway.pushAdd({ jobName: this.job });
      } catch (error) {
        if (this.warned) return;
        this.warned = true;
        const reason = this.hidePassword(error instanceof Error ? error.message : String(error));
        this.warn(`metrics could not be pushed to ${urlWithoutPassword(this.options.url)} (${reason}); the run goes on without them`);
      }
    });
  }
}

function passwordOf(url: string): string {
  return decodeURIComponent(new URL(url).password);
}
