import type { Driver } from "neo4j-driver";
import { query } from "./run-fixture.js";

/**
 * The load the exactly-once tests interrupt: rows with ids 0…n−1 loaded in create mode,
 * so that a row written twice shows as a duplicate id and a lost one as a missing id.
 */
export const ID_ROWS = 200_000;

export interface IdGraph {
  readonly nodes: number;
  readonly ids: number;
  readonly checksum: number;
}

/** What idGraph finds when each of `count` rows is there once. */
export const exactIdGraph = (count: number): IdGraph => ({ nodes: count, ids: count, checksum: (count * (count - 1)) / 2 });

export const EXACT_ID_GRAPH = exactIdGraph(ID_ROWS);

/** `count` rows `id,name`, ids from `from` on. */
export function idRowsCsv(count = ID_ROWS, from = 0): string {
  return ["id,name", ...Array.from({ length: count }, (_, i) => `${from + i},name ${from + i}`)].join("\n") + "\n";
}

export function idPipeline(name: string, label: string, settings: { batchSize: number; concurrency: number }): string {
  return `
version: 1
name: ${name}
defaults: { batchSize: ${settings.batchSize}, concurrency: ${settings.concurrency}, mode: create }
stages:
  - name: nodes
    tasks:
      - name: rows
        source: { file: rows.csv }
        node: { labels: [${label}], key: [id], properties: { id: { column: id, type: integer }, name: name } }
`;
}

/** Counts, distinct ids and the sum of ids of the label's nodes: equal to EXACT_ID_GRAPH when every row is there once. */
export async function idGraph(driver: Driver, label: string): Promise<IdGraph> {
  const [row] = await query<IdGraph>(
    driver,
    `MATCH (n:${label}) RETURN toFloat(count(n)) AS nodes, toFloat(count(DISTINCT n.id)) AS ids, toFloat(coalesce(sum(n.id), 0)) AS checksum`,
  );
  return row;
}
