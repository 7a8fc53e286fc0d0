/** The server's update counters, as neo4j-driver's `QueryStatistics.updates()` names them. */
const COUNTER_NAMES = [
  "nodesCreated",
  "nodesDeleted",
  "relationshipsCreated",
  "relationshipsDeleted",
  "propertiesSet",
  "labelsAdded",
  "labelsRemoved",
  "indexesAdded",
  "indexesRemoved",
  "constraintsAdded",
  "constraintsRemoved",
] as const;

type CounterName = (typeof COUNTER_NAMES)[number];
export type ServerCounters = Record<CounterName, number>;

export function zeroCounters(): ServerCounters {
  return Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])) as ServerCounters;
}

/** Adds `more` into `total` in place; missing names count as zero. */
export function addCounters(total: ServerCounters, more: Partial<Record<string, number>>): ServerCounters {
  for (const name of COUNTER_NAMES) total[name] += more[name] ?? 0;
  return total;
}
