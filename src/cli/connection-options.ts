import type { ConnectionSettings } from "../pipeline/pipeline.js";

export interface ConnectionFlags {
  readonly uri?: string;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
}

/** Flag, then environment, then the pipeline file: the precedence the README promises (CLI, "Connection"). */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv, file: ConnectionSettings): ConnectionSettings {
  const pick = (flag: string | undefined, variable: string, fromFile: string | undefined): string | undefined =>
    flag ?? (env[variable] || undefined) ?? fromFile;
  return {
    uri: pick(flags.uri, "NEO4J_URI", file.uri),
    user: pick(flags.user, "NEO4J_USERNAME", file.user),
    password: pick(flags.password, "NEO4J_PASSWORD", file.password),
    database: pick(flags.database, "NEO4J_DATABASE", file.database),
  };
}
