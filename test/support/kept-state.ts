import type { Driver } from "neo4j-driver";
import { query } from "./run-fixture.js";

/** A pipeline's lease as the server keeps it; undefined when no run holds it. */
export interface LeaseRow {
  token: string;
  host: string;
  pid: number;
}

export async function leaseOf(driver: Driver, pipeline: string): Promise<LeaseRow | undefined> {
  const [row] = await query<LeaseRow>(driver, "MATCH (l:GraphloadLease {name: $pipeline}) RETURN l.token AS token, l.host AS host, toFloat(l.pid) AS pid", { pipeline });
  return row;
}

/** How many batch markers the pipeline's last run left. */
export async function markerCount(driver: Driver, pipeline: string): Promise<number> {
  const [row] = await query<{ n: number }>(driver, "MATCH (m:GraphloadBatch {run: $pipeline}) RETURN toFloat(count(m)) AS n", { pipeline });
  return row.n;
}
