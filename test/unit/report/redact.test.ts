import neo4j from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../../src/mask-secrets.js";
import { recordText } from "../../../src/report/redact.js";
import { settingsEntries } from "../../../src/report/run-report.js";

describe("redactSecrets", () => {
  it("masks the password of any URL and password parameters, nothing else", () => {
    expect(redactSecrets("postgresql://loader:s3cret@db:5432/geo")).toBe("postgresql://loader:***@db:5432/geo");
    expect(redactSecrets("failed: neo4j+s://neo4j:p%40ss@x.databases.neo4j.io and bolt://h:7687")).toBe(
      "failed: neo4j+s://neo4j:***@x.databases.neo4j.io and bolt://h:7687",
    );
    expect(redactSecrets("mysql://db/x?user=a&password=hunter2&ssl=1")).toBe("mysql://db/x?user=a&password=***&ssl=1");
    expect(redactSecrets("bolt://127.0.0.1:7687")).toBe("bolt://127.0.0.1:7687");
    expect(redactSecrets("time 12:30@noon")).toBe("time 12:30@noon");
    expect(redactSecrets("GET https://b.s3.amazonaws.com/k?X-Amz-Signature=abc123&X-Amz-Date=20261129 failed")).toBe(
      "GET https://b.s3.amazonaws.com/k?X-Amz-Signature=***&X-Amz-Date=20261129 failed",
    );
  });
});

describe("recordText", () => {
  it("writes records as the dead-letter file would: integers exact, driver values as Cypher text, bytes by size", () => {
    const row = { big: 2n ** 70n, int: neo4j.int(42), huge: neo4j.int("9007199254740993"), date: new neo4j.types.Date(2024, 2, 29), bytes: Buffer.from("abc"), nested: [1, { a: null }] };
    expect(recordText(row)).toBe(`{"big":"1180591620717411303424","int":42,"huge":"9007199254740993","date":"2024-02-29","bytes":"<3 bytes>","nested":[1,{"a":null}]}`);
  });

  it("keeps a malformed line's raw text and cuts long records short", () => {
    expect(recordText(`1,"unterminated`)).toBe(`1,"unterminated`);
    const long = recordText({ text: "x".repeat(5000) }, 100);
    expect(long).toHaveLength(100);
    expect(long.endsWith("…")).toBe(true);
  });

  it("masks credentials in records too, even where the record is cut", () => {
    expect(recordText({ url: "postgresql://u:topsecret@h/db" })).toBe(`{"url":"postgresql://u:***@h/db"}`);
    const cut = recordText({ pad: "p".repeat(80), url: "postgresql://u:topsecretpassword@h/db" }, 110);
    expect(cut).not.toContain("topsecret");
  });

  it("survives records JSON cannot write", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(recordText(cyclic)).toBe("[object Object]");
  });
});

describe("settingsEntries", () => {
  it("lists the run's settings with the URI's password masked", () => {
    const entries = settingsEntries({ uri: "neo4j://admin:pw123@db:7687", concurrency: 4, batchSize: "auto", stages: ["nodes"], maxErrors: 10, resume: true });
    const text = JSON.stringify(entries);
    expect(text).not.toContain("pw123");
    expect(entries).toContainEqual({ name: "Neo4j URI", value: "neo4j://admin:***@db:7687" });
    expect(entries).toContainEqual({ name: "batch size", value: "auto" });
    expect(entries).toContainEqual({ name: "stages", value: "nodes" });
    expect(entries).toContainEqual({ name: "start", value: "resume an interrupted run" });
  });
});
