import neo4j, { type Driver } from "neo4j-driver";

export interface DriverSettings {
  readonly uri: string;
  readonly user?: string;
  readonly password?: string;
  /** Transactions kept in flight; the pool gets room for all of them and a few more. Absent: the driver's default pool. */
  readonly concurrency?: number;
  readonly userAgent?: string;
}

/**
 * A driver for a run's target, a Neo4j source or a test. Without a password no credentials
 * are sent, for servers with authentication off.
 */
export function createDriver(settings: DriverSettings): Driver {
  const auth = settings.password !== undefined ? neo4j.auth.basic(settings.user ?? "neo4j", settings.password) : undefined;
  return neo4j.driver(settings.uri, auth, {
    ...(settings.concurrency !== undefined ? { maxConnectionPoolSize: Math.max(10, settings.concurrency + 4) } : {}),
    userAgent: settings.userAgent ?? "graphload",
  });
}
