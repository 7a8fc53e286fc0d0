import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../src/local-neo4j/free-port.js";
import { findOrInstall } from "./debian-packages.js";
import { startServerProcess } from "./server-process.js";

const PROGRAM = "/usr/bin/prometheus-pushgateway";

/** A Prometheus Pushgateway on loopback with a storage folder of its own, for one test file. */
export interface StartedPushgateway {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The gateway's own exposition of everything pushed to it (`/metrics`). */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPushgateway(): Promise<StartedPushgateway> {
  // From Debian's packages, installed when missing and this process may (root on a CI machine).
  const program = await findOrInstall(
    ["prometheus-pushgateway"],
    () => (existsSync(PROGRAM) ? PROGRAM : undefined),
    `the Prometheus Pushgateway is not installed: apt-get install prometheus-pushgateway (looked for ${PROGRAM})`,
  );
  const dir = mkdtempSync(join(tmpdir(), "graphload-pushgateway-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServerProcess(
    "the Pushgateway",
    program,
    [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${join(dir, "metrics.store")}`],
    () => fetch(`${url}/-/ready`).then((response) => response.ok, () => false),
    30_000,
  );
  return {
    url,
    metrics: async () => {
      const response = await fetch(`${url}/metrics`);
      if (!response.ok) throw new Error(`GET ${url}/metrics: ${response.status}`);
      return response.text();
    },
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The value of one series in exposition text, by its name and exact labels in any order;
 * undefined when the series is not there.
 */
export function seriesValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels);
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = new Map([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]]));
    if (wanted.every(([key, value]) => found.get(key) === value)) return Number(match[3]);
  }
  return undefined;
}
