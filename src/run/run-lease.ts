import { randomUUID } from "node:crypto";
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";
import { GraphloadError } from "../errors.js";
import { processExists } from "../process-exists.js";
import type { CheckpointStore, HeldLease, LeaseHolder } from "./checkpoint-store.js";

/** How often a run renews its lease. */
export const LEASE_RENEWAL_MS = 10_000;
export const DEFAULT_LEASE_TIMEOUT_MS = 60_000;
/** A shorter timeout would let a live run that missed one renewal lose its lease. */
export const MIN_LEASE_TIMEOUT_MS = 2 * LEASE_RENEWAL_MS;

/** Runs `action` every `everyMs` until the returned function is called; injectable so tests control time. */
export interface LeaseTimer {
  repeat(everyMs: number, action: () => Promise<void>): () => void;
}

/** The process a run lives in, and how to tell whether another process of this host lives. */
export interface ThisProcess {
  readonly host: string;
  readonly pid: number;
  readonly pidNamespace?: string;
  /** When this process started, as `startOf` tells. */
  readonly pidStart?: string;
  exists(pid: number): boolean;
  /** When a process of this host started, where the system tells (Linux); undefined when it does not, or the process is gone. */
  startOf?(pid: number): string | undefined;
}

export interface LeaseSettings {
  /** A lease not renewed for this long is taken over. */
  readonly timeoutMs: number;
  readonly timer: LeaseTimer;
  readonly process: ThisProcess;
}

/** Renewals never overlap: a slow one makes the next tick wait for it. */
export const intervalTimer: LeaseTimer = {
  repeat(everyMs, action) {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void action().finally(() => (busy = false));
    }, everyMs);
    // The run itself keeps the process alive; the renewal must not keep it alive after.
    timer.unref();
    return () => clearInterval(timer);
  },
};

function pidNamespace(): string | undefined {
  try {
    return readlinkSync("/proc/self/ns/pid");
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat, after the command name in parentheses (which may hold spaces). */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

export function thisProcess(): ThisProcess {
  return { host: hostname(), pid: process.pid, pidNamespace: pidNamespace(), pidStart: processStart(process.pid), exists: processExists, startOf: processStart };
}

/** Tokens of the leases this process holds now: a holder with this process's own pid is alive only if listed. */
const heldHere = new Set<string>();

/**
 * Whether the holder is known to be gone: it ran on this host (and in this PID namespace,
 * where its pid means the same process) and its process no longer exists, or its pid
 * now belongs to a process that started at another time (a pid used again). A holder that
 * is this very process (same pid, same start) is alive only if this process holds that
 * lease now; with the same pid and no start to tell by, it is taken for an earlier process
 * (a container's PID 1 restarted) on the same terms. Anywhere else, only the lapse tells.
 */
export function holderGone(holder: LeaseHolder, here: ThisProcess): boolean {
  if (holder.host !== here.host || holder.pidNamespace !== here.pidNamespace) return false;
  if (holder.pid === here.pid && (holder.pidStart === undefined || holder.pidStart === here.pidStart)) return !heldHere.has(holder.token);
  if (!here.exists(holder.pid)) return true;
  const start = here.startOf?.(holder.pid);
  return holder.pidStart !== undefined && start !== undefined && start !== holder.pidStart;
}

export function mayTakeOver(held: HeldLease, here: ThisProcess): boolean {
  return held.lapsed || holderGone(held, here);
}

export function describeHolder(holder: LeaseHolder): string {
  return `host ${holder.host}, pid ${holder.pid}, started ${holder.startedAt}, last renewed ${holder.renewedAt}`;
}

/**
 * The lease a run holds on its pipeline name, in the target database beside its run
 * record: taken before anything of the pipeline is read or written, renewed every
 * LEASE_RENEWAL_MS while the run lives, released when it ends however it ends.
 */
export class RunLease {
  readonly token: string;
  private readonly store: CheckpointStore;
  private readonly settings: LeaseSettings;
  private stopRenewal: (() => void) | undefined;
  private released = false;

  private constructor(store: CheckpointStore, settings: LeaseSettings, token: string) {
    this.store = store;
    this.settings = settings;
    this.token = token;
  }

  /** Takes the lease, or throws GL_RUN_IN_PROGRESS naming the run that holds it. */
  static async take(store: CheckpointStore, settings: LeaseSettings): Promise<RunLease> {
    const here = settings.process;
    const token = randomUUID();
    const attempt = await store.takeLease({ token, host: here.host, pid: here.pid, pidNamespace: here.pidNamespace, pidStart: here.pidStart }, settings.timeoutMs, (held) =>
      mayTakeOver(held, here),
    );
    if (!attempt.taken) {
      throw new GraphloadError(
        "GL_RUN_IN_PROGRESS",
        `pipeline "${store.run}" is being loaded by another run (${describeHolder(attempt.holder)}); nothing was written. ` +
          `Wait for it to finish; if it is dead, its lease lapses ${settings.timeoutMs / 1000} s after its last renewal (--lease-timeout), ` +
          `or at once for a run of this host whose process is gone`,
        { holder: attempt.holder },
      );
    }
    heldHere.add(token);
    return new RunLease(store, settings, token);
  }

  /**
   * Renews the lease until it is released. When a renewal finds another holder (this run's
   * lease lapsed, say while the process was paused, and another run took it over),
   * `onLost` is told once; batches written under this lease are refused from then on.
   */
  keep(onLost: (error: GraphloadError) => void): void {
    this.stopRenewal = this.settings.timer.repeat(LEASE_RENEWAL_MS, async () => {
      let held: boolean;
      try {
        held = await this.store.renewLease(this.token);
      } catch {
        // The server is unreachable: the batches say so; the next tick tries again.
        return;
      }
      if (held || this.released) return;
      this.stopRenewal?.();
      const holder = await this.store.lease(this.settings.timeoutMs).catch(() => undefined);
      onLost(
        new GraphloadError(
          "GL_LEASE_LOST",
          `this run's lease on pipeline "${this.store.run}" went unrenewed past the lease timeout and was taken over` +
            `${holder ? ` by another run (${describeHolder(holder)})` : ""}; this run stopped writing. ` +
            `Let the other run finish, then check the graph before running again`,
        ),
      );
    });
  }

  /** Why a run stops whose completion, fenced by this lease, found another run holding the pipeline. */
  lostBeforeCompletion(): GraphloadError {
    return new GraphloadError("GL_LEASE_LOST", `this run's lease on pipeline "${this.store.run}" was taken over by another run before this run could complete; it stopped writing`);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.stopRenewal?.();
    heldHere.delete(this.token);
    await this.store.releaseLease(this.token);
  }
}
