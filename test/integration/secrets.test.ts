import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalNeo4j, type StartedLocalNeo4j } from "../../src/local-neo4j/start-local-neo4j.js";
import { graphload, type CliResult } from "../support/cli.js";
import { uniqueLabel, withDriver } from "../support/neo4j.js";
import { startPushgateway, type StartedPushgateway } from "../support/pushgateway.js";
import { query, workDir } from "../support/run-fixture.js";

/**
 * Passwords from files, against a server that checks them: the tests' shared Neo4j runs with
 * authentication off, where any password would do, so this file starts one with it on.
 */
const PASSWORD = "pw-from-file-7f3a9c21e5";

let secretDir: string;
let server: StartedLocalNeo4j;
let gateway: StartedPushgateway;

beforeAll(async () => {
  secretDir = await mkdtemp(join(tmpdir(), "graphload-secret-"));
  await writeFile(join(secretDir, "neo4j-password"), `${PASSWORD}\n`, { mode: 0o600 });
  [server, gateway] = await Promise.all([
    startLocalNeo4j({ passwordFile: join(secretDir, "neo4j-password"), heap: "512m", pageCache: "32m", log: (line) => process.stderr.write(`[secrets neo4j] ${line}\n`) }),
    startPushgateway(),
  ]);
}, 600_000);

afterAll(async () => {
  await Promise.all([server?.stop(), gateway?.stop()]);
  await rm(secretDir, { recursive: true, force: true });
});

function pipeline(label: string): string {
  return `
version: 1
name: secrets-${label.toLowerCase()}
stages:
  - name: nodes
    tasks:
      - name: people
        source: { file: people.csv }
        node:
          labels: [${label}]
          key: [id]
          properties: { id: { column: id, type: integer }, born: { column: born, type: date } }
`;
}

// One row that does not convert, so the run writes a dead-letter file too.
const PEOPLE = "id,born\n1,1815-12-10\n2,1912-06-23\n3,not a date\n";

/** The CLI against the server with authentication, the password only where `env` and `args` put it. */
function run(args: readonly string[], dir: string, env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return graphload(args, { cwd: dir, env: { NEO4J_URI: server.uri, NEO4J_USERNAME: "neo4j", NEO4J_PASSWORD: undefined, NEO4J_PASSWORD_FILE: undefined, ...env } });
}

async function nodes(label: string): Promise<number> {
  return withDriver(async (driver) => Number((await query(driver, `MATCH (n:${label}) RETURN count(n) AS n`))[0].n), { uri: server.uri, user: "neo4j", password: PASSWORD });
}

/** Every file the run left in `dir`, the pipeline and its input aside. */
function outputs(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => !["p.yaml", "people.csv"].includes(name))
      .map((name) => [name, readFileSync(join(dir, name), "utf8")]),
  );
}

describe("the Neo4j password from a file, against a server that checks it", () => {
  it("--password-file logs in; the password is in no output, log, summary, report, dead-letter file or pushed metric", async () => {
    const label = uniqueLabel("Secret");
    const dir = workDir({ "p.yaml": pipeline(label), "people.csv": PEOPLE });
    const password = join(secretDir, "neo4j-password");
    const outputsOf = (format: string) => ["--dead-letter", `${format}.rejected.jsonl`, "--summary-json", `${format}.summary.json`, "--report", `${format}.html`, "--log-format", format];
    const common = ["--password-file", password, "--metrics-push", gateway.url];
    const text = await run(["run", "p.yaml", ...common, ...outputsOf("text")], dir);
    expect(text.stderr).toContain("task people done");
    expect(text.code).toBe(3);
    const json = await run(["run", "p.yaml", ...common, ...outputsOf("json")], dir);
    expect(json.stderr).toContain('"event":"task-end"');
    expect(json.code).toBe(3);
    expect(await nodes(label)).toBe(2);

    const files = outputs(dir);
    expect(Object.keys(files).sort()).toEqual(["json.html", "json.rejected.jsonl", "json.summary.json", "text.html", "text.rejected.jsonl", "text.summary.json"]);
    expect(files["text.rejected.jsonl"]).toContain("GL_BAD_VALUE");
    const pushed = await gateway.metrics();
    expect(pushed).toContain(`job="secrets-${label.toLowerCase()}"`);
    const everything = { stdout: text.stdout + json.stdout, stderr: text.stderr + json.stderr, pushed, ...files };
    for (const [where, content] of Object.entries(everything)) expect(content, where).not.toContain(PASSWORD);
  });

  it("NEO4J_PASSWORD_FILE logs in too; a wrong password is refused by the server and not printed", async () => {
    const label = uniqueLabel("Secret");
    const dir = workDir({ "p.yaml": pipeline(label), "people.csv": "id,born\n1,1815-12-10\n", wrong: "not-the-password-4b1d\n" });
    const fromEnv = await run(["run", "p.yaml", "--no-progress"], dir, { NEO4J_PASSWORD_FILE: join(secretDir, "neo4j-password") });
    expect(fromEnv.stderr).toBe("");
    expect(fromEnv.code).toBe(0);
    expect(await nodes(label)).toBe(1);
    expect(fromEnv.stdout).not.toContain(PASSWORD);

    const wrong = await run(["run", "p.yaml", "--no-progress", "--retry-time", "0"], dir, { NEO4J_PASSWORD_FILE: join(dir, "wrong") });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("Unauthorized");
    expect(wrong.stdout + wrong.stderr).not.toContain("not-the-password-4b1d");
  });

  it("a password file that cannot be read is exit 2 naming it, with nothing written", async () => {
    const label = uniqueLabel("Secret");
    const dir = workDir({ "p.yaml": pipeline(label), "people.csv": "id,born\n1,1815-12-10\n" });
    const missing = await run(["run", "p.yaml", "--no-progress"], dir, { NEO4J_PASSWORD_FILE: join(dir, "nope") });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("GL_SECRET_FILE");
    expect(missing.stderr).toContain(join(dir, "nope"));
    expect(await nodes(label)).toBe(0);
  });
});
