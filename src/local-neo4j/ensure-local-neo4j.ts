import { startBackgroundNeo4j } from "./start-background-neo4j.js";

/**
 * The URI of the working directory's local Neo4j, started in the background first when it
 * is not running: what `graphload run` uses when given no server.
 */
export async function ensureLocalNeo4j(options: { cwd: string; log?: (line: string) => void }): Promise<{ uri: string }> {
  const { status, alreadyRunning } = await startBackgroundNeo4j({ cwd: options.cwd, log: options.log });
  if (alreadyRunning) options.log?.(`using the local Neo4j at ${status.uri}`);
  return { uri: status.uri };
}
