import { spawn } from "node:child_process";
import { mkdir, readdir, stat, utimes } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GraphloadError } from "../errors.js";
import { withFileLock } from "./file-lock.js";
import { missingToolsError } from "./java-tools.js";

/** Both src/local-neo4j and dist/local-neo4j sit two levels below the package root. */
const LAUNCHER_DIR = fileURLToPath(new URL("../../neo4j-launcher/", import.meta.url));
const TARGET_DIR = join(LAUNCHER_DIR, "target");
const JAR = join(TARGET_DIR, "neo4j-launcher.jar");
const LIB_DIR = join(TARGET_DIR, "lib");

/**
 * The Java class path of the Neo4j launcher, building it with Maven first when its jar is
 * missing or older than its sources (the first time, Maven fetches Neo4j from Maven Central).
 */
export async function ensureLauncherBuilt(log: (line: string) => void = () => undefined): Promise<string> {
  if (!(await isBuilt())) {
    await mkdir(TARGET_DIR, { recursive: true });
    await withFileLock(join(TARGET_DIR, "build.lock"), async () => {
      // Another process may have built it while this one waited for the lock.
      if (await isBuilt()) return;
      log(`building the Neo4j launcher with Maven in ${LAUNCHER_DIR} (once; the first build downloads Neo4j)…`);
      const started = Date.now();
      await runMaven();
      // The jar plugin leaves an unchanged jar untouched; its time must still pass the sources'.
      const now = new Date();
      await utimes(JAR, now, now);
      log(`built the Neo4j launcher in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
  }
  return [JAR, join(LIB_DIR, "*")].join(delimiter);
}

async function isBuilt(): Promise<boolean> {
  const jar = await stat(JAR).catch(() => undefined);
  const libs = await readdir(LIB_DIR).catch(() => []);
  if (!jar || libs.length === 0) return false;
  return jar.mtimeMs >= (await newestSource());
}

async function newestSource(): Promise<number> {
  const pom = await stat(join(LAUNCHER_DIR, "pom.xml"));
  const sources = await readdir(join(LAUNCHER_DIR, "src"), { recursive: true, withFileTypes: true });
  const times = await Promise.all(sources.filter((entry) => entry.isFile()).map(async (entry) => (await stat(join(entry.parentPath, entry.name))).mtimeMs));
  return Math.max(pom.mtimeMs, ...times);
}

function runMaven(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("mvn", ["-q", "-B", "package", "-DskipTests"], { cwd: LAUNCHER_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? missingToolsError("Maven (mvn) was not found", error) : error),
    );
    child.once("close", (code) => {
      if (code === 0) return resolve();
      const tail = output.trim().split("\n").slice(-30).join("\n");
      reject(new GraphloadError("GL_LOCAL_NEO4J_BUILD", `building the Neo4j launcher failed (mvn exited with ${code}) in ${LAUNCHER_DIR}:\n${tail}`, { dir: LAUNCHER_DIR }));
    });
  });
}
