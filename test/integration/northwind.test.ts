import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { graphload } from "../support/cli.js";
import { openDriver } from "../support/neo4j.js";
import { query, workDir } from "../support/run-fixture.js";

const driver = openDriver();
afterAll(() => driver.close());

const root = fileURLToPath(new URL("../../", import.meta.url));
const table = (name: string): Array<Record<string, string>> =>
  parse(readFileSync(join(root, "fixtures/northwind", `${name}.csv`)), { columns: true, bom: true });
const distinct = (rows: Array<Record<string, string>>, ...columns: string[]): number =>
  new Set(rows.map((row) => columns.map((column) => row[column]).join("\u0000"))).size;

/** The demo pipeline against the graph it should build, with expectations computed from the CSV files alone. */
describe("pipelines/northwind.yaml", () => {
  it("loads the Northwind graph", async () => {
    const dir = workDir();
    const result = await graphload(["run", join(root, "pipelines/northwind.yaml"), "--summary-json", "summary.json", "--no-progress"], { cwd: dir });
    expect(result.stderr).not.toContain("error");
    expect(result.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    expect(summary.totals.rowsRejected).toBe(0);

    const products = table("products");
    const orders = table("orders");
    const employees = table("employees");
    const orderDetails = table("order-details");
    const labels = await query<{ label: string; n: number }>(
      driver,
      "UNWIND ['Product','Category','Supplier','Customer','Order','Employee','Shipper'] AS label CALL { WITH label MATCH (n) WHERE label IN labels(n) RETURN count(n) AS n } RETURN label, toFloat(n) AS n",
    );
    expect(Object.fromEntries(labels.map((row) => [row.label, row.n]))).toEqual({
      Product: distinct(products, "productID"),
      Category: distinct(table("categories"), "categoryID"),
      Supplier: distinct(table("suppliers"), "supplierID"),
      Customer: distinct(table("customers"), "customerID"),
      Order: distinct(orders, "orderID"),
      Employee: distinct(employees, "employeeID"),
      Shipper: distinct(table("shippers"), "shipperID"),
    });

    const types = await query<{ type: string; n: number }>(driver, "MATCH ()-[r]->() WHERE type(r) IN $types RETURN type(r) AS type, toFloat(count(r)) AS n", {
      types: ["PART_OF", "SUPPLIES", "PURCHASED", "SOLD", "SHIPPED_VIA", "ORDERS", "REPORTS_TO"],
    });
    expect(Object.fromEntries(types.map((row) => [row.type, row.n]))).toEqual({
      PART_OF: distinct(products, "productID", "categoryID"),
      SUPPLIES: distinct(products, "supplierID", "productID"),
      PURCHASED: distinct(orders, "customerID", "orderID"),
      SOLD: distinct(orders, "employeeID", "orderID"),
      SHIPPED_VIA: distinct(orders, "orderID", "shipVia"),
      ORDERS: distinct(orderDetails, "orderID", "productID"),
      REPORTS_TO: employees.filter((row) => row.reportsTo !== "NULL").length,
    });

    // Typed properties, and NULL read as an unset property.
    const [checks] = await query(
      driver,
      `MATCH (o:Order {orderID: 10248})
       MATCH (p:Product {productID: 11})<-[line:ORDERS]-(o)
       MATCH (c:Customer {customerID: 'VINET'})-[:PURCHASED]->(o)
       RETURN valueType(o.orderDate) AS orderDate, o.orderDate = localdatetime('1996-07-04T00:00') AS sameDate,
              valueType(o.freight) AS freight, valueType(line.quantity) AS quantity, toFloat(line.quantity) AS q,
              valueType(p.discontinued) AS discontinued, c.region IS NULL AS regionUnset`,
    );
    expect(checks).toEqual({
      orderDate: "LOCAL DATETIME NOT NULL",
      sameDate: true,
      freight: "FLOAT NOT NULL",
      quantity: "INTEGER NOT NULL",
      q: 12,
      discontinued: "BOOLEAN NOT NULL",
      regionUnset: true,
    });
    const [unshipped] = await query(driver, "MATCH (o:Order) WHERE o.shippedDate IS NULL RETURN toFloat(count(o)) AS n");
    expect(unshipped.n).toBe(orders.filter((row) => row.shippedDate === "NULL").length);
    const [discontinued] = await query(driver, "MATCH (p:Product) WHERE p.discontinued RETURN toFloat(count(p)) AS n");
    expect(discontinued.n).toBe(products.filter((row) => row.discontinued === "1").length);
  });
});
