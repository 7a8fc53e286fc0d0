import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { withFileLock } from "../../src/local-neo4j/file-lock.js";
import { installDebianPackages, mayInstall } from "./debian-packages.js";

const run = promisify(execFile);

/** The writer the Parquet tests' files come from: pyarrow, as data teams' pandas and Spark exports use it. */
const REQUIREMENT = "pyarrow==26.0.1";
const VENV = fileURLToPath(new URL("../../.graphload/venv-pyarrow", import.meta.url));
const PYTHON = join(VENV, "bin", "python");
const STAMP = join(VENV, "graphload-requirement");
const WRITER = fileURLToPath(new URL("../fixtures/parquet/write-parquet.py", import.meta.url));

const say = (line: string): void => {
  process.stderr.write(`[pyarrow] ${line}\n`);
};

/**
 * A Python with pyarrow: a virtual environment made with `python3 -m venv` under
 * .graphload/ (gitignored) and reused while its requirement is the same. Debian's
 * python3-venv is installed where it is missing and this process may. Test files run side by
 * side: the first to need it makes it under a lock, the others wait and reuse it.
 */
export async function pyarrowPython(): Promise<string> {
  if (ready()) return PYTHON;
  mkdirSync(dirname(VENV), { recursive: true });
  return withFileLock(`${VENV}.lock`, async () => {
    if (!ready()) await makeVenv();
    return PYTHON;
  });
}

const ready = (): boolean => existsSync(STAMP) && readFileSync(STAMP, "utf8") === REQUIREMENT;

async function makeVenv(): Promise<void> {
  rmSync(VENV, { recursive: true, force: true });
  say(`making ${VENV} with ${REQUIREMENT}`);
  try {
    await run("python3", ["-m", "venv", VENV]);
  } catch (error) {
    if (!mayInstall) throw new Error(`python3 -m venv failed; apt-get install python3-venv: ${(error as Error).message}`);
    await installDebianPackages(["python3-venv"], say);
    rmSync(VENV, { recursive: true, force: true });
    await run("python3", ["-m", "venv", VENV]);
  }
  await run(PYTHON, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", REQUIREMENT], { maxBuffer: 16 << 20 });
  writeFileSync(STAMP, REQUIREMENT);
}

/** Writes the test files of test/fixtures/parquet/write-parquet.py into `dir`. */
export async function writeParquetFixtures(dir: string): Promise<void> {
  await run(await pyarrowPython(), [WRITER, dir]);
}
