import { randomBytes } from "node:crypto";
import type { Driver } from "neo4j-driver";
import { inject } from "vitest";
import { createDriver } from "../../src/create-driver.js";

/** Where the tests' Neo4j is; no password means a server with authentication off. */
export interface Neo4jConnection {
  readonly uri: string;
  readonly user?: string;
  readonly password?: string;
  /** A folder of this machine that the server reads as `LOAD CSV FROM 'file:///…'`, when known. */
  readonly importDir?: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    neo4j: Neo4jConnection;
  }
}

/** The server test/global-setup.ts provided for this run. */
export function neo4jConnection(): Neo4jConnection {
  return inject("neo4j");
}

/** A driver for the tests' server, or for `connection`; the caller closes it. */
export function openDriver(connection: Neo4jConnection = neo4jConnection()): Driver {
  return createDriver(connection);
}

/** Runs `action` with a driver that is closed afterwards, whatever happens. */
export async function withDriver<T>(action: (driver: Driver) => Promise<T>, connection?: Neo4jConnection): Promise<T> {
  const driver = openDriver(connection);
  try {
    return await action(driver);
  } finally {
    await driver.close();
  }
}

/**
 * A label (or relationship type) no other test uses: tests share one Community database
 * and run side by side, so each one keeps to the data under its own labels.
 */
export function uniqueLabel(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

/**
 * Removes what tests left in the shared database: the nodes under their labels with the
 * constraints and indexes on those labels, and what graphload keeps for their pipelines (runs,
 * leases, batch markers, watermarks, loaded files, increments). In batches, so a large load is
 * removed within the server's memory.
 */
export async function removeTestData(driver: Driver, { labels = [], pipelines = [] }: { readonly labels?: readonly string[]; readonly pipelines?: readonly string[] }): Promise<void> {
  const session = driver.session();
  try {
    for (const label of labels) await session.run(`MATCH (n:${label}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`);
    await session.run(
      `MATCH (n) WHERE (n:GraphloadRun OR n:GraphloadLease) AND n.name IN $pipelines
         OR (n:GraphloadWatermark OR n:GraphloadFile) AND n.pipeline IN $pipelines
         OR (n:GraphloadBatch OR n:GraphloadIncrement) AND n.run IN $pipelines
       CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS`,
      { pipelines },
    );
  } finally {
    await session.close();
  }
  await dropSchemaOf(driver, labels);
}

/** Drops the constraints and the indexes of their own that runs made on `labels` (or relationship types). */
export async function dropSchemaOf(driver: Driver, labels: readonly string[]): Promise<void> {
  const owned = "WHERE any(label IN labelsOrTypes WHERE label IN $labels)";
  const names = async (show: string) => (await driver.executeQuery(show, { labels })).records.map((record) => record.get("name") as string);
  for (const name of await names(`SHOW CONSTRAINTS YIELD name, labelsOrTypes ${owned} RETURN name`)) await driver.executeQuery(`DROP CONSTRAINT \`${name}\` IF EXISTS`);
  for (const name of await names(`SHOW INDEXES YIELD name, labelsOrTypes, owningConstraint ${owned} AND owningConstraint IS NULL RETURN name`)) {
    await driver.executeQuery(`DROP INDEX \`${name}\` IF EXISTS`);
  }
}
