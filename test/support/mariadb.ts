import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../src/local-neo4j/free-port.js";
import { findOrInstall } from "./debian-packages.js";
import { startServerProcess } from "./server-process.js";

const run = promisify(execFile);

/** A throwaway MariaDB server on loopback, with a data folder of its own, for one test file; a user with a password. */
export interface StartedMariadb {
  /** `mysql://graphload:<password>@127.0.0.1:<port>/<database>` */
  url(database?: string): string;
  /** The password in every URL, for tests that check it is never shown. */
  readonly password: string;
  /** Runs SQL statements (several, `;`-separated) as root; returns the output, tab-separated. */
  sql(statements: string, database?: string): Promise<string>;
  stop(): Promise<void>;
}

const isRoot = process.getuid?.() === 0;
const SERVER = "/usr/sbin/mariadbd";
const USER = "graphload";
const PASSWORD = "s3cret-Pw";

export async function startMariadb(): Promise<StartedMariadb> {
  // From Debian's packages, installed when missing and this process may.
  await findOrInstall(["mariadb-server"], () => (existsSync(SERVER) ? SERVER : undefined), `MariaDB is not installed: apt-get install mariadb-server (${SERVER} is looked for)`);
  const dir = mkdtempSync(join(tmpdir(), "graphload-mariadb-"));
  const data = join(dir, "data");
  const socket = join(dir, "mariadb.sock");
  // The server refuses to run as root unless told whom to run as: the packages' mysql user.
  const user = isRoot ? ["--user=mysql"] : [];
  if (isRoot) chownSync(dir, Number((await run("id", ["-u", "mysql"])).stdout.trim()), Number((await run("id", ["-g", "mysql"])).stdout.trim()));
  await run("mariadb-install-db", ["--no-defaults", `--datadir=${data}`, ...user, "--auth-root-authentication-method=normal", "--skip-test-db"], { maxBuffer: 16 << 20 });
  const port = await freePort();
  const client = (args: string[], database?: string) =>
    run("mariadb", ["--no-defaults", `--socket=${socket}`, "-u", "root", "--batch", "--skip-column-names", ...args, ...(database ? [database] : [])], { maxBuffer: 64 << 20 });
  const server = await startServerProcess(
    `mariadbd (log: ${join(dir, "mariadb.log")})`,
    SERVER,
    [
      "--no-defaults",
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      `--pid-file=${join(dir, "mariadb.pid")}`,
      `--log-error=${join(dir, "mariadb.log")}`,
      "--skip-name-resolve",
      "--innodb-buffer-pool-size=64M",
      "--innodb-flush-log-at-trx-commit=0",
      "--performance-schema=OFF",
      // A time zone of its own, odd on purpose: what graphload reads must not depend on it.
      "--default-time-zone=-03:30",
      ...user,
    ],
    () => client(["-e", "SELECT 1"]).then(() => true, () => false),
    30_000,
  );
  await client(["-e", `CREATE USER '${USER}'@'%' IDENTIFIED BY '${PASSWORD}'; GRANT ALL ON *.* TO '${USER}'@'%';`]);
  return {
    url: (database = "mysql") => `mysql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    password: PASSWORD,
    sql: async (statements, database) => (await client(["-e", statements], database)).stdout,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
