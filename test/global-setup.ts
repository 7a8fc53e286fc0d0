import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startLocalNeo4j } from "../src/local-neo4j/start-local-neo4j.js";
import type { Neo4jConnection } from "./support/neo4j.js";

interface TestNeo4j {
  readonly connection: Neo4jConnection;
  readonly description: string;
  stop(): Promise<void>;
}

const say = (line: string): void => {
  process.stderr.write(`[neo4j] ${line}\n`);
};

/**
 * Gives the integration tests one Neo4j: the server NEO4J_URI names, else a Neo4j 5.26
 * container when Docker answers, else Neo4j run by graphload's own Java launcher. It never
 * lets the tests skip: with none of the three it fails and says what to install.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const neo4j = await acquireNeo4j();
  say(`tests use ${neo4j.description}`);
  project.provide("neo4j", neo4j.connection);
  // For processes spawned straight from this one; test workers read it through inject().
  setEnv("NEO4J_URI", neo4j.connection.uri);
  setEnv("NEO4J_USERNAME", neo4j.connection.user);
  setEnv("NEO4J_PASSWORD", neo4j.connection.password);
  return () => neo4j.stop();
}

async function acquireNeo4j(): Promise<TestNeo4j> {
  const uri = process.env.NEO4J_URI;
  if (uri) {
    // Only the one who started that server knows where it reads files; without
    // NEO4J_IMPORT_DIR, tests that need LOAD CSV ask the server (test/support/import-dir.ts).
    const connection = { uri, user: process.env.NEO4J_USERNAME, password: process.env.NEO4J_PASSWORD, importDir: process.env.NEO4J_IMPORT_DIR || undefined };
    return { connection, description: `NEO4J_URI ${uri}`, stop: async () => undefined };
  }
  const problems: string[] = [];
  const importDir = await mkdtemp(join(tmpdir(), "graphload-import-"));
  // The container's server runs as another user.
  await chmod(importDir, 0o755);
  const removeImportDir = () => rm(importDir, { recursive: true, force: true });
  const container = await fromDocker(problems, importDir);
  if (container) return { ...container, stop: () => container.stop().finally(removeImportDir) };
  try {
    say("starting Neo4j with the Java launcher…");
    const server = await startLocalNeo4j({ heap: "1g", pageCache: "256m", importDir, log: say });
    return {
      connection: { uri: server.uri, importDir },
      description: `Neo4j ${server.version} from the Java launcher at ${server.uri} (pid ${server.pid}, log ${server.logFile})`,
      stop: () => server.stop().finally(removeImportDir),
    };
  } catch (error) {
    problems.push(`Java launcher: ${message(error)}`);
  }
  await removeImportDir();
  throw new Error(
    "no Neo4j for the integration tests. Install Java 17+ and Maven (the tests then run Neo4j themselves), " +
      "or Docker, or set NEO4J_URI (and NEO4J_USERNAME / NEO4J_PASSWORD) to a Neo4j 5 server.\n" +
      problems.map((problem) => `- ${problem}`).join("\n"),
  );
}

async function fromDocker(problems: string[], importDir: string): Promise<TestNeo4j | undefined> {
  let testcontainers: typeof import("testcontainers");
  try {
    testcontainers = await import("testcontainers");
  } catch (error) {
    problems.push(`Docker: testcontainers did not load: ${message(error)}`);
    say(problems.at(-1)!);
    return undefined;
  }
  try {
    await testcontainers.getContainerRuntimeClient();
  } catch (error) {
    problems.push(`Docker: ${message(error)}`);
    return undefined;
  }
  try {
    say("starting a neo4j:5.26 container…");
    const { Neo4jContainer } = await import("@testcontainers/neo4j");
    const container = await new Neo4jContainer("neo4j:5.26")
      .withBindMounts([{ source: importDir, target: CONTAINER_IMPORT_DIR, mode: "ro" }])
      .withEnvironment({ NEO4J_server_directories_import: CONTAINER_IMPORT_DIR })
      .start();
    return {
      connection: { uri: container.getBoltUri(), user: container.getUsername(), password: container.getPassword(), importDir },
      description: `a neo4j:5.26 container at ${container.getBoltUri()}`,
      stop: async () => {
        await container.stop();
      },
    };
  } catch (error) {
    problems.push(`Docker answers, but the neo4j:5.26 container did not start: ${message(error)}`);
    say(problems.at(-1)!);
    return undefined;
  }
}

/** Set explicitly, so that LOAD CSV in the container does not depend on where the image's configuration reads files. */
const CONTAINER_IMPORT_DIR = "/graphload-import";

function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
