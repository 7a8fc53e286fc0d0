import { int } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { EncodingSink } from "../../../bench/encoding-sink.mjs";

/** The client-ceiling benchmark reaches into the driver's packing; this keeps it honest across driver upgrades. */
describe("the benchmark's encoding sink", () => {
  it("encodes a batch with the driver's packstream, more bytes for more rows", async () => {
    const sink = new EncodingSink();
    const rows = (n: number) => Array.from({ length: n }, (_, i) => [i, `person ${i}`, int(2 ** 40 + i), "1990-01-01", 1.5]);
    await sink.write({ cypher: "UNWIND $rows AS row CREATE (:P {id: row[0]})", parameters: { rows: rows(10) }, bookmarks: [] });
    const ten = sink.bytes;
    await sink.write({ cypher: "UNWIND $rows AS row CREATE (:P {id: row[0]})", parameters: { rows: rows(1000) }, bookmarks: [], marker: { id: "x", run: "r", task: "t", lane: 0, start: 1, end: 1000, key: null } });
    expect(ten).toBeGreaterThan(10 * 20);
    expect(sink.bytes - ten).toBeGreaterThan(50 * ten);
    expect(sink.batches).toBe(2);
  });
});
