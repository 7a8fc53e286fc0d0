import { describe, expect, it } from "vitest";
import { detectFormat } from "../../../src/model/source-format.js";

describe("detectFormat", () => {
  it.each([
    ["data/products.csv", { format: "csv", gzip: false }],
    ["data/products.CSV", { format: "csv", gzip: false }],
    ["products.tsv", { format: "tsv", gzip: false }],
    ["orders.jsonl", { format: "jsonl", gzip: false }],
    ["orders.ndjson", { format: "jsonl", gzip: false }],
    ["/abs/dir.v2/products.csv.gz", { format: "csv", gzip: true }],
    ["products.tsv.GZ", { format: "tsv", gzip: true }],
    ["orders.ndjson.gz", { format: "jsonl", gzip: true }],
    ["exports/orders.parquet", { format: "parquet", gzip: false }],
  ])("reads %s", (path, expected) => {
    expect(detectFormat(path)).toEqual(expected);
  });

  it.each(["products.txt", "products", "products.gz", "csv", "dir.csv/file", "products.csv.zip", ".gz"])("knows nothing of %s", (path) => {
    expect(detectFormat(path)).toBeUndefined();
  });
});
