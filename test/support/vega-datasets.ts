import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * A data file of the npm package vega-datasets (a devDependency): public data nobody tuned
 * graphload to. `airports.csv` and `flights-airport.csv` are also in fixtures/airports.
 */
export function vegaFile(name: string): string {
  const entry = createRequire(import.meta.url).resolve("vega-datasets");
  return join(dirname(entry), "..", "data", name);
}
