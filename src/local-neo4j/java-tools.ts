import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { GraphloadError } from "../errors.js";

const MINIMUM_JAVA = 17;

/** What a person has to do when the local Neo4j cannot be built or run here. */
export function missingToolsError(problem: string, cause?: unknown): GraphloadError {
  return new GraphloadError(
    "GL_LOCAL_NEO4J_TOOLS",
    `${problem}. The local Neo4j needs Java ${MINIMUM_JAVA}+ and Maven (mvn) on the PATH: install both ` +
      "(e.g. `apt-get install openjdk-17-jdk-headless maven` or `brew install openjdk@17 maven`), " +
      "or point graphload at a Neo4j server of your own with --uri or NEO4J_URI",
    {},
    { cause },
  );
}

/** The `java` to run the launcher with: JAVA_HOME's when set, as Maven does, else the PATH's. */
export async function findJava(): Promise<string> {
  const home = process.env.JAVA_HOME;
  const java = home && existsSync(join(home, "bin", "java")) ? join(home, "bin", "java") : "java";
  const banner = await new Promise<string>((resolve, reject) => {
    execFile(java, ["-version"], { timeout: 30_000 }, (error, stdout, stderr) => (error ? reject(error) : resolve(`${stderr}${stdout}`)));
  }).catch((error: NodeJS.ErrnoException) => {
    throw missingToolsError(error.code === "ENOENT" ? `${java} was not found` : `${java} -version failed: ${error.message}`, error);
  });
  const version = /version "(\d+)(?:\.(\d+))?/.exec(banner);
  // Java 8 and older call themselves 1.x.
  const major = version ? (version[1] === "1" ? Number(version[2]) : Number(version[1])) : 0;
  if (major < MINIMUM_JAVA) {
    throw missingToolsError(`${java} is ${version ? `Java ${major}` : "of an unknown version"}, older than Java ${MINIMUM_JAVA}`);
  }
  return java;
}
