import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../src/local-neo4j/free-port.js";
import { findOrInstall } from "./debian-packages.js";

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster on loopback, trust authentication, for one test file. */
export interface StartedPostgres {
  /** `postgresql://graphload@127.0.0.1:<port>/<database>` */
  url(database?: string): string;
  /** Runs psql against `database` with `-f file` or `-c sql`. */
  psql(database: string, input: { file: string } | { sql: string }): Promise<string>;
  stop(): Promise<void>;
}

const isRoot = process.getuid?.() === 0;
const SUPERUSER = "graphload";

/**
 * PostgreSQL's programs from Debian's packages, installed when missing and this process
 * may (root on a CI machine); otherwise the error says what to install.
 */
async function postgresBin(): Promise<string> {
  const find = (): string | undefined => {
    const root = "/usr/lib/postgresql";
    if (!existsSync(root)) return undefined;
    const version = readdirSync(root).filter((entry) => existsSync(join(root, entry, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a))[0];
    return version && join(root, version, "bin");
  };
  return findOrInstall(["postgresql"], find, "PostgreSQL is not installed: apt-get install postgresql (its programs are looked for in /usr/lib/postgresql/<version>/bin)");
}

export async function startPostgres(): Promise<StartedPostgres> {
  const bin = await postgresBin();
  const dir = mkdtempSync(join(tmpdir(), "graphload-postgres-"));
  // initdb refuses to run as root; the cluster then belongs to the packages' postgres user.
  if (isRoot) chownSync(dir, Number((await run("id", ["-u", "postgres"])).stdout.trim()), Number((await run("id", ["-g", "postgres"])).stdout.trim()));
  const as = (program: string, args: string[]) => (isRoot ? run("runuser", ["-u", "postgres", "--", join(bin, program), ...args]) : run(join(bin, program), args));
  const data = join(dir, "data");
  // A superuser of its own: dumps (Northwind's among them) create the role "postgres" themselves.
  await as("initdb", ["-D", data, "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const port = await freePort();
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off`;
  await as("pg_ctl", ["-D", data, "-l", join(dir, "postgres.log"), "-o", options, "-w", "-t", "60", "start"]);
  const url = (database = "postgres") => `postgresql://${SUPERUSER}@127.0.0.1:${port}/${database}`;
  return {
    url,
    psql: async (database, input) => {
      const args = ["-v", "ON_ERROR_STOP=1", "-q", "-h", "127.0.0.1", "-p", String(port), "-U", SUPERUSER, "-d", database];
      const { stdout } = await run(join(bin, "psql"), [...args, ...("file" in input ? ["-f", input.file] : ["-c", input.sql])], { maxBuffer: 64 << 20 });
      return stdout;
    },
    stop: async () => {
      await as("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
