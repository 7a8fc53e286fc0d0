import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { graphload } from "../support/cli.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { workDir } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

function pipeline(label: string): string {
  return `
version: 1
name: verify-${label}
stages:
  - name: nodes
    tasks:
      - name: people
        source: { file: people.csv }
        node: { labels: [${label}], key: [id], properties: { id: { column: id, type: integer }, age: { column: age, type: integer } } }
`;
}

describe("--verify", () => {
  it("passes when every row read became a node, and says so", async () => {
    const label = uniqueLabel("Verified");
    const dir = workDir({ "p.yaml": pipeline(label), "people.csv": "id,age\n1,30\n2,40\n3,50\n" });
    const result = await graphload(["run", "p.yaml", "--verify", "--no-progress", "--summary-json", "s.json"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("verified: every row read was written");
    expect(JSON.parse(readFileSync(join(dir, "s.json"), "utf8")).verification).toEqual({
      ok: true,
      checks: [{ stage: "nodes", task: "people", read: 3, written: 3, rejected: 0, nodes: 3, ok: true }],
    });
  });

  it("exits 1 when rows were rejected, or the target holds other nodes than were written", async () => {
    const label = uniqueLabel("Verified");
    const rejected = await graphload(["run", "p.yaml", "--verify", "--no-progress"], {
      cwd: workDir({ "p.yaml": pipeline(label), "people.csv": "id,age\n1,30\n2,old\n" }),
    });
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toMatch(/nodes \/ people\s+2\s+1\s+1\s+1\s+MISMATCH/);

    const other = uniqueLabel("Verified");
    await driver.executeQuery(`CREATE (:${other} {id: 99})`);
    const extra = await graphload(["run", "p.yaml", "--verify", "--no-progress"], { cwd: workDir({ "p.yaml": pipeline(other), "people.csv": "id,age\n1,30\n" }) });
    expect(extra.code).toBe(1);
    expect(extra.stdout).toContain("verification failed");
  });
});
