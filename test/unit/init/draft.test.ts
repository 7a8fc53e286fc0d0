import { describe, expect, it } from "vitest";
import { buildDraft, type Draft } from "../../../src/init/draft-model.js";
import { chooseKey, profileTable } from "../../../src/init/profile-table.js";
import { parseCsv } from "../../../src/init/read-text.js";
import { renderDraft } from "../../../src/init/render-draft.js";
import type { TableSample } from "../../../src/init/table-sample.js";
import { parsePipeline } from "../../../src/load/load-pipeline.js";
import { PipelineValidationError } from "../../../src/model/validation-issue.js";

/** A file's sample as read, from its CSV text: no file involved. */
function csv(file: string, text: string, options: Partial<TableSample> = {}): TableSample {
  const [columns, ...rows] = parseCsv(text, ",");
  return { file, stem: file.replace(/\..*$/, ""), format: "csv", gzip: false, header: true, columns, rows, complete: true, estimatedRows: rows.length, ...options };
}

function jsonl(file: string, records: Array<Record<string, unknown>>): TableSample {
  const columns = [...new Set(records.flatMap(Object.keys))];
  const rows = records.map((record) => columns.map((column) => record[column]));
  return { file, stem: file.replace(/\..*$/, ""), format: "jsonl", gzip: false, header: true, columns, rows, complete: true, estimatedRows: rows.length };
}

const lines = (...rows: string[]) => `${rows.join("\n")}\n`;
const linksOf = (draft: Draft) => draft.links.map((link) => `${link.from.profile.label}.${link.column} -${link.type}-> ${link.to.profile.label}`);
const keyOf = (draft: Draft, label: string) => draft.nodes.find((node) => node.profile.label === label)?.key;

/** What validation says of a rendered draft, leaving out that its files exist nowhere. */
function validationIssues(text: string): string[] {
  try {
    parsePipeline(text, { baseDir: "/nonexistent", env: {} });
    return [];
  } catch (error) {
    if (!(error instanceof PipelineValidationError)) throw error;
    return error.issues.filter((issue) => issue.code !== "GL_FILE_NOT_FOUND").map((issue) => `${issue.path} ${issue.code} ${issue.message}`);
  }
}

const categories = csv("categories.csv", lines("categoryID,categoryName", "1,Beverages", "2,Condiments", "3,Confections"));
const suppliers = csv("suppliers.csv", lines("supplierID,companyName,region", "1,Exotic Liquids,NULL", "2,New Orleans Cajun,LA", "3,Grandma Kelly,MI"));
const products = csv(
  "products.csv",
  lines("productID,productName,supplierID,categoryID,unitPrice,discontinued", "1,Chai,1,1,18.00,0", "2,Chang,1,1,19.00,1", "3,Aniseed Syrup,2,2,10.00,0", "4,Cajun Seasoning,2,2,22.00,0"),
);

describe("a draft from samples", () => {
  it("keys each file on an id-like unique column and links the columns whose values are another file's keys", () => {
    const draft = buildDraft([categories, suppliers, products], "shop");
    expect(draft.nodes.map((node) => `${node.taskName}: ${node.profile.label} ${node.key.columns.join("+")}`)).toEqual([
      "categories: Category categoryID",
      "suppliers: Supplier supplierID",
      "products: Product productID",
    ]);
    expect(linksOf(draft)).toEqual(["Product.supplierID -SUPPLIER-> Supplier", "Product.categoryID -CATEGORY-> Category"]);
    expect(draft.nodes[1].profile.nullTokens).toEqual([{ token: "NULL", columns: [{ column: "region", count: 1 }] }]);
  });

  it("renders a draft that validation accepts, every guess with its comment", () => {
    const text = renderDraft(buildDraft([categories, suppliers, products], "shop"), { output: "shop.yaml", schema: "./pipeline.schema.json" });
    expect(validationIssues(text)).toEqual([]);
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=./pipeline.schema.json");
    expect(text).toContain('nullValues: ["", "NULL"]');
    expect(text).toMatch(/unitPrice: \{ column: unitPrice, type: float \} +# float: all 4 values are numbers, e\.g\. 18\.00/);
    expect(text).toMatch(/key: \[productID\] +# unique and never empty in all 4 rows \(the whole file\); named like an id/);
    expect(text).toMatch(/labels: \[Product\] +# from the file name products/);
    expect(text).toMatch(/to: \{ label: Category, key: \{ categoryID: categoryID \} \}/);
    expect(text).toMatch(/# Product\.categoryID → Category: all 2 distinct values sampled are among the 3 categoryID keys of categories\.csv; named after it/);
  });

  it("links by containment, the name deciding between files whose keys all hold a column's values", () => {
    const shippers = csv("shippers.csv", lines("shipperID,companyName", "1,Speedy", "2,United", "3,Federal"));
    const orders = csv("orders.csv", lines("orderID,shipVia,freight", "10248,3,32.38", "10249,1,11.61", "10250,2,65.83"));
    const regions = csv("regions.csv", lines("regionID,name", "1,Eastern", "2,Western", "3,Northern", "4,Southern"));
    expect(linksOf(buildDraft([shippers, orders, regions], "x"))).toEqual(["Order.shipVia -SHIP_VIA-> Shipper"]);
    // Without a name to go by, small numbers found among several keys link nowhere.
    const unnamed = csv("orders.csv", lines("orderID,via", "10248,3", "10249,1"));
    expect(linksOf(buildDraft([shippers, unnamed, regions], "x"))).toEqual([]);
  });

  it("links text codes by containment alone, but not values missing from the other file", () => {
    const airports = csv("airports.csv", lines("iata,name", "ABE,Lehigh Valley", "ATL,Atlanta", "BHM,Birmingham", "ORD,Chicago"));
    const flights = csv("flights.csv", lines("origin,destination,count", "ABE,ATL,853", "ABE,BHM,1", "ATL,ABE,850", "ORD,ATL,1", "ORD,XXX,1"));
    const draft = buildDraft([airports, flights], "x");
    expect(linksOf(draft)).toEqual(["Flight.origin -ORIGIN-> Airport"]);
    expect(keyOf(draft, "Flight")).toMatchObject({ columns: ["origin", "destination"], unique: true });
  });

  it("notes, without linking, a column of numbers that are its own file's keys", () => {
    const employees = csv("employees.csv", lines("employeeID,name,reportsTo", "1,Nancy,2", "2,Andrew,NULL", "3,Janet,2", "4,Margaret,2"));
    const draft = buildDraft([employees, categories], "x");
    expect(linksOf(draft)).toEqual([]);
    expect(draft.nodes[0].columnNotes.get("reportsTo")).toMatch(/hierarchy\?/);
  });

  it("keys a junction table on its two links, and says it could be relationships", () => {
    const territories = csv("territories.csv", lines("territoryID,name", "01581,Westboro", "01730,Bedford", "01833,Georgetow"));
    const employees = csv("employees.csv", lines("employeeID,name", "1,Nancy", "2,Andrew"));
    const assignments = csv("employee-territories.csv", lines("employeeID,territoryID", "1,01581", "1,01730", "2,01833"));
    const draft = buildDraft([territories, employees, assignments], "x");
    expect(keyOf(draft, "EmployeeTerritory")?.columns).toEqual(["employeeID", "territoryID"]);
    expect(linksOf(draft)).toEqual(["EmployeeTerritory.employeeID -EMPLOYEE-> Employee", "EmployeeTerritory.territoryID -TERRITORY-> Territory"]);
    expect(draft.nodes[2].notes.join(" ")).toContain("reads like a link table between Employee and Territory");
    // Zero-padded codes stay text, so they match the keys they are.
    expect(draft.nodes[0].profile.columns[0].guess.type).toBeUndefined();
  });

  it("prefers codes and dates to numbers that are unique by chance, and creates rows that have no key", () => {
    const electricity = csv("iowa.csv", lines("year,source,net_generation", "2001-01-01,Fossil Fuels,35361", "2001-01-01,Nuclear Energy,3853", "2002-01-01,Fossil Fuels,35991"));
    expect(chooseKey(profileTable(electricity))).toMatchObject({ columns: ["year", "source"], unique: true });
    const temperatures = csv("global-temp.csv", lines("year,temp", "1880,-0.17", "1881,-0.09"));
    expect(chooseKey(profileTable(temperatures))).toMatchObject({ columns: ["year"], unique: true });
    const readings = csv("readings.csv", lines("sensor,value", "a,1.5", "a,1.5", "b,2"));
    const draft = buildDraft([readings], "x");
    expect(draft.nodes[0].key).toMatchObject({ columns: ["sensor"], unique: false });
    const text = renderDraft(draft, { output: "x.yaml" });
    expect(text).toMatch(/mode: create +# no column or pair of columns is unique/);
    expect(validationIssues(text)).toEqual([]);
  });

  it("reads null markers, points from coordinates, and names properties Cypher can write", () => {
    const places = csv("places.csv", lines("Place Name,latitude,longitude,state", "Thigpen,31.95,-89.23,MS", "Livingston,30.68,-95.01,NA", "Base,NA,NA,NA"));
    const draft = buildDraft([places], "x");
    const [node] = draft.nodes;
    expect(node.profile.nullTokens).toEqual([{ token: "NA", columns: [{ column: "latitude", count: 1 }, { column: "longitude", count: 1 }, { column: "state", count: 2 }] }]);
    expect(node.profile.columns.map((column) => `${column.property} ${column.guess.type}`)).toEqual(["placeName undefined", "latitude float", "longitude float", "state undefined"]);
    expect(node.profile.point).toMatchObject({ property: "location", latitude: "latitude", longitude: "longitude" });
    const text = renderDraft(draft, { output: "x.yaml" });
    expect(text).toContain('placeName: { column: "Place Name" }');
    expect(text).toContain("location: { type: point, columns: { latitude: latitude, longitude: longitude } }");
    expect(validationIssues(text)).toEqual([]);
  });

  it("drafts JSON Lines, leaving out maps, and a header that repeats a name", () => {
    const people = jsonl("people.jsonl", [
      { id: 1, name: "Ada", tags: ["a", "b"], address: { city: "London" }, born: "1815-12-10" },
      { id: 2, name: "Alan", tags: [], born: "1912-06-23" },
    ]);
    const repeated = csv("repeated.csv", lines("id,name,name", "1,a,b"), { columns: ["id", "name", "name2"], renamed: true });
    const text = renderDraft(buildDraft([people, repeated], "x"), { output: "x.yaml" });
    expect(text).toContain('tags: { column: tags, type: "string[]" }');
    expect(text).toContain("born: { column: born, type: date }");
    expect(text).toContain("# left out: address (JSON maps: a property cannot hold one; left out)");
    expect(text).toContain("source: { file: repeated.csv, columns: [id, name, name2] }");
    expect(validationIssues(text)).toEqual([]);
  });
});
