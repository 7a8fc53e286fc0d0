import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ServerInfo } from "neo4j-driver";
import type { Entry } from "./report-data.js";

/** graphload's, neo4j-driver's, the server's (when known) and Node's versions. */
export function reportVersions(server?: Pick<ServerInfo, "agent" | "protocolVersion">): Entry[] {
  const entries: Entry[] = [
    { name: "graphload", value: packageVersion(new URL("../../package.json", import.meta.url)) },
    { name: "neo4j-driver", value: driverVersion() },
  ];
  if (server?.agent) entries.push({ name: "Neo4j server", value: server.agent.replace(/^Neo4j\//, "") });
  const protocol = server?.protocolVersion;
  if (protocol) entries.push({ name: "Bolt protocol", value: `${protocol.getMajor()}.${protocol.getMinor()}` });
  entries.push({ name: "Node.js", value: process.versions.node });
  return entries;
}

function packageVersion(file: URL | string): string {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

function driverVersion(): string {
  try {
    return packageVersion(createRequire(import.meta.url).resolve("neo4j-driver/package.json"));
  } catch {
    return "unknown";
  }
}
