import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listInputs, openInput } from "../../../src/input/list-inputs.js";
import type { InputEntry } from "../../../src/input/input-entry.js";
import { openSource } from "../../../src/source/open-source.js";

const body = "id,name\n" + Array.from({ length: 5000 }, (_, i) => `${i},name ${i}`).join("\n") + "\n";
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const head = request.method === "HEAD";
    switch (new URL(request.url ?? "/", "http://localhost").pathname) {
      case "/plain.csv":
        response.writeHead(200, { "content-length": Buffer.byteLength(body), etag: '"v7"', "last-modified": "Sun, 01 Nov 2026 10:00:00 GMT" });
        return response.end(head ? undefined : body);
      case "/moved.csv":
        return response.writeHead(302, { location: "/plain.csv" }).end();
      case "/private.csv":
        return response.writeHead(403).end();
      case "/presigned.csv":
        if (head) return response.writeHead(403).end();
        return response.end(body);
      case "/no-head.csv":
        if (head) return response.writeHead(405).end();
        return response.end(body);
      case "/labelled.csv.gz": {
        // As object stores serve .gz objects whose metadata says Content-Encoding: gzip.
        const gzip = gzipSync(body);
        response.writeHead(200, { "content-length": gzip.length, "content-encoding": "gzip" });
        return response.end(head ? undefined : gzip);
      }
      case "/encoded.csv": {
        const gzip = gzipSync(body);
        response.writeHead(200, { "content-length": gzip.length, "content-encoding": request.headers["accept-encoding"]?.includes("gzip") ? "gzip" : "identity" });
        return response.end(head ? undefined : gzip);
      }
      case "/cut.csv.gz": {
        // No Content-Length: only the gzip trailer can tell the body is not whole.
        const gzip = gzipSync(body);
        return response.end(head ? undefined : gzip.subarray(0, gzip.length - 200));
      }
      default:
        return response.writeHead(404).end();
    }
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

const csv = { delimiter: ",", quote: '"', header: true };
async function count(path: string): Promise<number> {
  let records = 0;
  for await (const item of openSource({ kind: "file", path: `${base}${path}`, format: "csv", gzip: path.endsWith(".gz"), csv }).records()) if (item.kind === "record") records++;
  return records;
}

describe("web addresses as inputs", () => {
  it("are listed by a HEAD request: size, ETag and modification time; a missing one is an error at once", async () => {
    expect(await listInputs(`${base}/plain.csv`, { glob: false, cwd: "/" })).toEqual([
      { location: `${base}/plain.csv`, name: `${base}/plain.csv`, size: Buffer.byteLength(body), etag: '"v7"', modified: Date.UTC(2026, 10, 1, 10) },
    ]);
    // A server without HEAD, or refusing it as a URL presigned for GET does, is left to the GET.
    expect(await listInputs(`${base}/no-head.csv`, { glob: false, cwd: "/" })).toEqual([{ location: `${base}/no-head.csv`, name: `${base}/no-head.csv`, size: undefined }]);
    expect(await listInputs(`${base}/presigned.csv`, { glob: false, cwd: "/" })).toEqual([{ location: `${base}/presigned.csv`, name: `${base}/presigned.csv`, size: undefined }]);
  });

  it("are streamed whole, following redirects, with the Content-Encoding taken off (once: a .gz file labelled gzip is the file)", async () => {
    expect(await count("/plain.csv")).toBe(5000);
    expect(await count("/moved.csv")).toBe(5000);
    expect(await count("/encoded.csv")).toBe(5000);
    expect(await count("/labelled.csv.gz")).toBe(5000);
    expect(await count("/presigned.csv")).toBe(5000);
    const entry: InputEntry = { location: `${base}/plain.csv`, name: "plain", size: undefined };
    let bytes = 0;
    for await (const chunk of openInput(entry, false)) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(Buffer.byteLength(body));
  });

  it("a refusal, a missing file and a body cut short are errors with codes that say so", async () => {
    await expect(count("/private.csv")).rejects.toMatchObject({ code: "GL_INPUT_REFUSED", message: expect.stringContaining("HTTP 403") });
    await expect(listInputs(`${base}/gone.csv`, { glob: false, cwd: "/" })).rejects.toMatchObject({ code: "GL_FILE_NOT_FOUND" });
    await expect(count("/gone.csv")).rejects.toMatchObject({ code: "GL_FILE_NOT_FOUND" });
    await expect(count("/cut.csv.gz")).rejects.toMatchObject({ message: expect.stringMatching(/not valid gzip/) });
  });

  it("never show a presigned address's signature or token: they grant access as a password does", async () => {
    const signed = "/private.csv?X-Amz-Credential=AKIA%2F20261129&X-Amz-Signature=deadbeef42&X-Amz-Security-Token=tok99&X-Amz-Expires=60";
    const failure = await count(signed).catch((error: unknown) => error as Error & { context?: unknown });
    expect(failure).toMatchObject({ code: "GL_INPUT_REFUSED" });
    const shown = `${failure.message} ${JSON.stringify(failure.context)}`;
    for (const secret of ["deadbeef42", "tok99", "AKIA"]) expect(shown).not.toContain(secret);
    expect(shown).toContain("X-Amz-Expires=60");
  });
});
