import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphload } from "../support/cli.js";
import { idRowsCsv } from "../support/id-load.js";
import { openDriver, uniqueLabel } from "../support/neo4j.js";
import { query, workDir } from "../support/run-fixture.js";
import { startS3, type StartedS3 } from "../support/s3proxy.js";

const driver = openDriver();
afterAll(() => driver.close());

/** A pipeline creating one node per row (create mode: a row written twice is two nodes). */
function pipeline(name: string, label: string, source: string, batchSize = 500): string {
  return `
version: 1
name: ${name}
defaults: { batchSize: ${batchSize}, concurrency: 2, mode: create }
stages:
  - name: nodes
    tasks:
      - name: rows
        source: ${source}
        node:
          labels: [${label}]
          key: [id]
          properties: { id: { column: id, type: integer }, name: name }
`;
}

async function nodes(label: string): Promise<{ count: number; distinct: number }> {
  const [row] = await query<{ count: number; distinct: number }>(driver, `MATCH (n:${label}) RETURN toFloat(count(n)) AS count, toFloat(count(DISTINCT n.id)) AS distinct`);
  return row;
}

describe("inputs over HTTP", () => {
  const ROWS = 20_000;
  const body = Buffer.from(idRowsCsv(ROWS));
  /** The drop route's behaviour: cut the body off after this many bytes, or serve it whole. */
  let cutAfter: number | undefined;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response: ServerResponse) => {
      const head = request.method === "HEAD";
      if (request.url === "/rows.csv.gz") {
        const gzip = gzipSync(body);
        response.writeHead(200, { "content-length": gzip.length });
        return response.end(head ? undefined : gzip);
      }
      if (request.url === "/encoded.csv") {
        const gzip = gzipSync(body);
        response.writeHead(200, { "content-length": gzip.length, "content-encoding": "gzip" });
        return response.end(head ? undefined : gzip);
      }
      if (request.url === "/drop.csv") {
        response.writeHead(200, { "content-length": body.length, etag: '"v1"' });
        if (head) return response.end();
        if (cutAfter === undefined) return response.end(body);
        // Half the file, time for batches of it to commit, then the connection is gone.
        response.write(body.subarray(0, cutAfter));
        setTimeout(() => response.socket?.destroy(), 2000);
        return;
      }
      response.writeHead(404).end();
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

  it("loads a .gz file as stored and a body sent with Content-Encoding: gzip, exactly", async () => {
    for (const path of ["/rows.csv.gz", "/encoded.csv"]) {
      const label = uniqueLabel("Http");
      const dir = workDir({ "p.yaml": pipeline(`http-${label}`, label, `{ file: "${base}${path}" }`) });
      const result = await graphload(["run", "p.yaml", "--no-progress"], { cwd: dir });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(await nodes(label)).toEqual({ count: ROWS, distinct: ROWS });
    }
  });

  it("fails resumably when the connection drops mid-file, and --resume then loads the file exactly once", async () => {
    const label = uniqueLabel("Http");
    const name = `http-drop-${label}`;
    const dir = workDir({ "p.yaml": pipeline(name, label, `{ file: "${base}/drop.csv" }`, 200) });
    cutAfter = Math.floor(body.length / 2);
    const failed = await graphload(["run", "p.yaml", "--no-progress"], { cwd: dir });
    expect(failed.code).toBe(1);
    expect(failed.stderr + failed.stdout).toContain("GL_INPUT_FAILED");
    const partial = await nodes(label);
    expect(partial.count).toBeGreaterThan(0);
    // Never more than the whole rows that arrived: no half row, nothing past the cut.
    const sentRows = body.subarray(0, cutAfter).toString().split("\n").length - 2;
    expect(partial.count).toBeLessThanOrEqual(sentRows);
    const [markers] = await query<{ n: number }>(driver, "MATCH (m:GraphloadBatch {run: $name}) RETURN toFloat(count(m)) AS n", { name });
    expect(markers.n).toBeGreaterThan(0);

    cutAfter = undefined;
    const resumed = await graphload(["run", "p.yaml", "--resume", "--no-progress"], { cwd: dir });
    expect(resumed.code).toBe(0);
    expect(await nodes(label)).toEqual({ count: ROWS, distinct: ROWS });
  });
});

describe("inputs in an S3-compatible store", () => {
  let s3: StartedS3;
  const BUCKET = "graphload-drops";

  beforeAll(async () => {
    s3 = await startS3();
    // Uploads without the SDK's default streamed checksum trailer, which s3proxy does not take.
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const objects: Record<string, string | Buffer> = {
      "daily/2026-11-02.csv": idRowsCsv(300, 300),
      "daily/2026-11-01.csv.gz": gzipSync(idRowsCsv(300, 0)),
      "daily/2026-11-03.csv": idRowsCsv(300, 600).replace("\n", "\nbroken,row,here\n"),
      "daily/archive/2026-10-31.csv": idRowsCsv(300, 10_000),
      "daily/notes.txt": "not a drop",
      "other/one.csv": idRowsCsv(5, 50_000),
    };
    for (const [Key, Body] of Object.entries(objects)) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
    // Stored gzip under a plain name, its metadata saying so, as static-site tools upload.
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "other/encoded.csv", Body: gzipSync(idRowsCsv(7, 60_000)), ContentEncoding: "gzip" }));
    client.destroy();
  }, 240_000);
  afterAll(() => s3?.stop());

  it("reads a glob's objects in name order as one source, and one object by its key (gzip by name or by Content-Encoding)", async () => {
    const label = uniqueLabel("S3");
    const dir = workDir({ "p.yaml": pipeline(`s3-${label}`, label, `{ files: "s3://${BUCKET}/daily/*.csv*", format: csv }`) });
    const result = await graphload(["run", "p.yaml", "--no-progress", "--dead-letter", "rejected.jsonl"], { cwd: dir, env: s3.env() });
    expect(result.stderr).not.toContain("GL_");
    expect(result.code).toBe(3);
    expect(await nodes(label)).toEqual({ count: 900, distinct: 900 });
    expect(JSON.parse(readFileSync(join(dir, "rejected.jsonl"), "utf8"))).toMatchObject({ source: `s3://${BUCKET}/daily/2026-11-03.csv`, line: 2, code: "GL_MALFORMED_RECORD" });
    const [range] = await query<{ low: number; high: number }>(driver, `MATCH (n:${label}) RETURN toFloat(min(n.id)) AS low, toFloat(max(n.id)) AS high`);
    expect(range).toEqual({ low: 0, high: 899 });

    const single = uniqueLabel("S3");
    const one = workDir({ "p.yaml": pipeline(`s3-${single}`, single, `{ file: "s3://${BUCKET}/other/one.csv" }`) });
    expect((await graphload(["run", "p.yaml", "--no-progress"], { cwd: one, env: s3.env() })).code).toBe(0);
    expect(await nodes(single)).toEqual({ count: 5, distinct: 5 });

    const encoded = uniqueLabel("S3");
    const gz = workDir({ "p.yaml": pipeline(`s3-${encoded}`, encoded, `{ file: "s3://${BUCKET}/other/encoded.csv" }`) });
    expect((await graphload(["run", "p.yaml", "--no-progress"], { cwd: gz, env: s3.env() })).code).toBe(0);
    expect(await nodes(encoded)).toEqual({ count: 7, distinct: 7 });
  });

  it("`**` crosses folder levels, `?` and `*` do not; a glob matching no object is exit 2", async () => {
    const label = uniqueLabel("S3");
    const dir = workDir({ "p.yaml": pipeline(`s3-${label}`, label, `{ files: "s3://${BUCKET}/daily/**/2026-1*.csv" }`) });
    expect((await graphload(["run", "p.yaml", "--no-progress"], { cwd: dir, env: s3.env() })).code).toBe(3);
    const [range] = await query<{ count: number; low: number; high: number }>(driver, `MATCH (n:${label}) RETURN toFloat(count(n)) AS count, toFloat(min(n.id)) AS low, toFloat(max(n.id)) AS high`);
    expect(range).toEqual({ count: 900, low: 300, high: 10_299 });

    // Listed from the literal start `daily/2026-11-0`, one level only: neither archive/ nor the .gz.
    const partial = uniqueLabel("S3");
    const dated = workDir({ "p.yaml": pipeline(`s3-${partial}`, partial, `{ files: "s3://${BUCKET}/daily/2026-11-0?.csv" }`) });
    expect((await graphload(["run", "p.yaml", "--no-progress"], { cwd: dated, env: s3.env() })).code).toBe(3);
    expect((await nodes(partial)).count).toBe(600);

    const none = workDir({ "p.yaml": pipeline(`s3-none-${label}`, label, `{ files: "s3://${BUCKET}/weekly/*.csv" }`) });
    const result = await graphload(["run", "p.yaml", "--no-progress"], { cwd: none, env: s3.env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("GL_NO_MATCH");
  });

  it("a store refusing the credentials fails the run (exit 1) with the store's code", async () => {
    const label = uniqueLabel("S3");
    const dir = workDir({ "p.yaml": pipeline(`s3-${label}`, label, `{ files: "s3://${BUCKET}/daily/*.csv" }`) });
    const result = await graphload(["run", "p.yaml", "--no-progress"], { cwd: dir, env: s3.env({ secretAccessKey: "wrong" }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("GL_INPUT_REFUSED");
    expect(result.stderr).toMatch(/SignatureDoesNotMatch|AccessDenied|InvalidAccessKeyId/);
    expect((await nodes(label)).count).toBe(0);
  });
});
