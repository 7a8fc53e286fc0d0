import neo4j, { type Driver } from "neo4j-driver";

export interface DriverSettings {
  readonly uri: string;
  readonly user?: string;
  readonly password?: string;
  /** Transactions the run keeps in flight; the pool gets room for all of them and a few more. */
  readonly concurrency: number;
  readonly userAgent?: string;
}

/** The one pooled driver of a run. Without a password no credentials are sent, for servers with auth off. */
export function createDriver(settings: DriverSettings): Driver {
  const auth = settings.password !== undefined ? neo4j.auth.basic(settings.user ?? "neo4j", settings.password) : undefined;
  return neo4j.driver(settings.uri, auth, {
    maxConnectionPoolSize: Math.max(10, settings.concurrency + 4),
    userAgent: settings.userAgent ?? "graphload",
  });
}
