import { randomBytes } from "node:crypto";
import { cp, mkdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Driver } from "neo4j-driver";
import { neo4jConnection, type Neo4jConnection } from "./neo4j.js";

/** Files copied where the server's `LOAD CSV FROM 'file:///…'` reads them. */
export interface StagedFiles {
  /** `file:///…/`: the folder's URL as LOAD CSV takes it, ending in a slash. */
  readonly url: string;
  remove(): Promise<void>;
}

/** A folder of this machine to put files in, and the URL under which the server reads them. */
interface Place {
  readonly parent: string;
  url(name: string): string;
}

/**
 * Copies the files of `folder` into a new folder that the tests' server reads with LOAD CSV:
 * in its import directory when the global setup knows it (it started the server, or
 * NEO4J_IMPORT_DIR says where); else, for a server of this machine, in the temporary folder
 * under an absolute `file:///tmp/…` URL (a local Neo4j started without `--import-dir` reads
 * any path) or in the import directory it reports. A probe file read back through LOAD CSV
 * proves the choice; when nothing works the error says how to run a server that can.
 */
export async function stageForLoadCsv(driver: Driver, folder: string, connection: Neo4jConnection = neo4jConnection()): Promise<StagedFiles> {
  const inImportDir = (parent: string): Place => ({ parent, url: (name) => `file:///${name}/` });
  const places = connection.importDir
    ? [inImportDir(connection.importDir)]
    : [{ parent: tmpdir(), url: (name: string) => `${pathToFileURL(join(tmpdir(), name)).href}/` }, ...(await reportedImportDir(driver)).map(inImportDir)];
  const problems: string[] = [];
  for (const place of places) {
    const name = `graphload-load-csv-${randomBytes(6).toString("hex")}`;
    const dir = join(place.parent, name);
    const url = place.url(name);
    const remove = () => rm(dir, { recursive: true, force: true });
    try {
      await mkdir(dir);
      const token = randomBytes(8).toString("hex");
      await writeFile(join(dir, "probe.csv"), `${token}\n`);
      const read = await driver.executeQuery(`LOAD CSV FROM $url + 'probe.csv' AS line RETURN line[0] AS token`, { url });
      if (read.records[0]?.get("token") !== token) throw new Error(`the server read something else at ${url}probe.csv`);
      await rm(join(dir, "probe.csv"));
      await cp(folder, dir, { recursive: true });
      return { url, remove };
    } catch (error) {
      await remove();
      problems.push(`${url} for ${dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(
    `the Neo4j at ${connection.uri} cannot LOAD CSV files of this machine (${problems.join("; ")}). ` +
      "Run one that can, e.g. `graphload neo4j start --port 7688 --import-dir /tmp/neo4j-import` (in a folder of its own), " +
      "and set NEO4J_URI=bolt://127.0.0.1:7688 NEO4J_IMPORT_DIR=/tmp/neo4j-import; or leave NEO4J_URI unset and let the tests start Neo4j.",
  );
}

async function reportedImportDir(driver: Driver): Promise<string[]> {
  try {
    const { records } = await driver.executeQuery("SHOW SETTINGS YIELD name, value WHERE name = 'server.directories.import' RETURN value");
    const dir = records[0]?.get("value");
    return typeof dir === "string" && (await stat(dir).catch(() => undefined))?.isDirectory() ? [dir] : [];
  } catch {
    return [];
  }
}

/**
 * Fills `${NAME}` and `${NAME:-default}` in a script as graphload fills them in a pipeline
 * file, so a reference script and its pipeline take the same variables (label suffixes,
 * where the files are). A name with neither a value nor a default is an error.
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (match, name: string, fallback: string | undefined) => {
    const value = values[name];
    if (value !== undefined && (value !== "" || fallback === undefined)) return value;
    if (fallback !== undefined) return fallback;
    throw new Error(`${match}: no value for ${name}`);
  });
}

/**
 * Runs a Cypher script, statements ending in `;` at the end of a line, one by one in
 * auto-commit transactions (so `CALL { … } IN TRANSACTIONS` works as in cypher-shell).
 */
export async function runCypherScript(driver: Driver, script: string): Promise<void> {
  const statements = script
    .split(/;[ \t]*$/m)
    .map((statement) => statement.replace(/^\s*\/\/.*$/gm, "").trim())
    .filter((statement) => statement.length > 0);
  const session = driver.session();
  try {
    for (const statement of statements) {
      try {
        await session.run(statement);
      } catch (error) {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\nin:\n${statement}`, { cause: error });
      }
    }
  } finally {
    await session.close();
  }
}

/** Deletes the nodes of these labels (their relationships too) and the constraints and indexes on them. */
export async function dropLabels(driver: Driver, labels: readonly string[]): Promise<void> {
  const session = driver.session();
  try {
    // Constraints first: dropping one drops the index it owns.
    for (const [kind, plural] of [["CONSTRAINT", "CONSTRAINTS"], ["INDEX", "INDEXES"]]) {
      const { records } = await session.run(
        `SHOW ${plural} YIELD name, labelsOrTypes WHERE any(l IN labelsOrTypes WHERE l IN $labels) RETURN name`,
        { labels },
      );
      for (const record of records) {
        await session.run(`DROP ${kind} \`${String(record.get("name")).replaceAll("`", "``")}\` IF EXISTS`);
      }
    }
    await session.run("MATCH (n:$any($labels)) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS", { labels });
  } finally {
    await session.close();
  }
}
