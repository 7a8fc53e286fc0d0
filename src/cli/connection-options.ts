import type { Command } from "commander";
import type { ConnectionSettings } from "../model/pipeline.js";
import { readSecretFile } from "../secret-file.js";

export interface ConnectionFlags {
  readonly uri?: string;
  readonly user?: string;
  readonly password?: string;
  readonly passwordFile?: string;
  readonly database?: string;
}

/**
 * Flag, then environment, then the pipeline file: the precedence the README promises (CLI,
 * "Connection"). For the password, each source may be a file instead (`--password-file`,
 * `NEO4J_PASSWORD_FILE`), after its plain form; only the file that wins is read, so a
 * stale mount behind a set `--password` cannot fail the run. Throws `GL_SECRET_FILE`.
 */
export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  file: ConnectionSettings,
  readSecret: (path: string, what: string) => string = readSecretFile,
): ConnectionSettings {
  const variable = (name: string): string | undefined => env[name] || undefined;
  const pick = (flag: string | undefined, name: string, fromFile: string | undefined): string | undefined => flag ?? variable(name) ?? fromFile;
  const passwordFile = (path: string | undefined, what: string): string | undefined => (path === undefined ? undefined : readSecret(path, what));
  const password =
    flags.password ??
    passwordFile(flags.passwordFile, "--password-file") ??
    variable("NEO4J_PASSWORD") ??
    passwordFile(variable("NEO4J_PASSWORD_FILE"), "NEO4J_PASSWORD_FILE") ??
    file.password;
  return {
    uri: pick(flags.uri, "NEO4J_URI", file.uri),
    user: pick(flags.user, "NEO4J_USERNAME", file.user),
    password,
    database: pick(flags.database, "NEO4J_DATABASE", file.database),
  };
}

/** The connection flags, on every command that reaches the target database. */
export function addConnectionOptions(command: Command): Command {
  return command
    .option("--uri <uri>", "Bolt URI (default: $NEO4J_URI, the pipeline file, or the local Neo4j)")
    .option("--user <name>", "user name (default: $NEO4J_USERNAME, the pipeline file, or neo4j)")
    .option("--password <password>", "password (default: --password-file, $NEO4J_PASSWORD, $NEO4J_PASSWORD_FILE or the pipeline file)")
    .option("--password-file <file>", "read the password from this file (one trailing newline trimmed), as orchestrators mount secrets")
    .option("--database <name>", "database (default: $NEO4J_DATABASE, the pipeline file, or the server's default)");
}
