import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** What `graphload neo4j start` records about the server it left running for a working directory. */
export interface LocalNeo4jState {
  readonly pid: number;
  readonly uri: string;
  readonly port: number;
  readonly dataDir: string;
  readonly importDir?: string;
  /** Absent while the server is starting. */
  readonly version?: string;
  readonly logFile: string;
  readonly startedAt: string;
}

/** The files of a working directory's local server, all under `.graphload/neo4j/`. */
export function localNeo4jPaths(cwd: string): { dir: string; state: string; lock: string; logFile: string; dataDir: string } {
  const dir = join(cwd, ".graphload", "neo4j");
  return {
    dir,
    state: join(dir, "state.json"),
    lock: join(dir, "start.lock"),
    logFile: join(dir, "neo4j.log"),
    dataDir: join(dir, "data"),
  };
}

export async function readState(cwd: string): Promise<LocalNeo4jState | undefined> {
  try {
    return JSON.parse(await readFile(localNeo4jPaths(cwd).state, "utf8")) as LocalNeo4jState;
  } catch (error) {
    // A state file cut short by a crash says no more than a missing one.
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

export async function writeState(cwd: string, state: LocalNeo4jState): Promise<void> {
  const paths = localNeo4jPaths(cwd);
  await mkdir(paths.dir, { recursive: true });
  await writeFile(paths.state, `${JSON.stringify(state, null, 2)}\n`);
}

export async function removeState(cwd: string): Promise<void> {
  await rm(localNeo4jPaths(cwd).state, { force: true });
}
