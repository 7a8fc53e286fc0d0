import { describe, expect, it } from "vitest";
import { decodeVariant, encodeVariant } from "../../../src/plan/dynamic-names.js";
import { taskPlanOf } from "../../support/plan-task.js";

const suspects = `
name: suspects
source: { file: drugs.csv }
relationship:
  type: { column: role, values: { PS: IS_PRIMARY_SUSPECT, SS: IS_SECONDARY_SUSPECT, C: IS_CONCOMITANT, X: IS_CONCOMITANT } }
  from: { label: Case, key: { id: case } }
  to: { label: Drug, key: { name: drug } }
`;
const files = { "drugs.csv": "case,drug,role,kind\n" };

/** How a statement begins whose one value, the key, is text: its list split once per batch. */
const TEXT_ID = "WITH coalesce(split($t0, '\\u001F'), $c0) AS c0\nUNWIND range(0, size(c0) - 1) AS i";

describe("names from columns", () => {
  it("encode a variant that decodes to the same names, quoting what is not a plain identifier", () => {
    for (const names of [["Large"], ["Hub", "Large"], ["Big Cat"], ["a:b", "c`d", "`"], ["ö", "x"]]) {
      expect(decodeVariant(encodeVariant(names))).toEqual(names);
    }
    expect(encodeVariant(["Hub", "Big Cat"])).toBe("Hub:`Big Cat`");
    expect(decodeVariant("")).toEqual([]);
  });

  it("map cells to relationship types, one statement per type known up front", () => {
    const plan = taskPlanOf(suspects, files);
    expect(plan.variantOf!({ case: "1", drug: "a", role: "PS" })).toBe("IS_PRIMARY_SUSPECT");
    expect(plan.variantOf!({ case: "1", drug: "a", role: "X" })).toBe("IS_CONCOMITANT");
    expect(plan.statements.map((statement) => statement.variant)).toEqual(["IS_PRIMARY_SUSPECT", "IS_SECONDARY_SUSPECT", "IS_CONCOMITANT"]);
    expect(plan.statements[1].cypher).toContain("MERGE (a)-[r:`IS_SECONDARY_SUSPECT`]->(b)");
    expect(plan.statement("IS_CONCOMITANT")).toBe(plan.statements[2].cypher);
  });

  it("reject a row whose cell the values do not map", () => {
    const plan = taskPlanOf(suspects, files);
    expect(() => plan.variantOf!({ role: "I" })).toThrow(
      expect.objectContaining({ code: "GL_UNMAPPED_VALUE", message: 'relationship type from column "role": "I" is not one of "PS", "SS", "C", "X"' }),
    );
    expect(() => plan.variantOf!({ role: "" })).toThrow(expect.objectContaining({ code: "GL_UNMAPPED_VALUE", message: expect.stringContaining("an empty cell") }));
  });

  it("take the cell itself as the name, validated and escaped", () => {
    const plan = taskPlanOf(suspects.replace(/type: .*/, "type: { column: role }"), files);
    expect(plan.statements).toEqual([]);
    expect(plan.variantOf!({ role: "TREATS" })).toBe("TREATS");
    expect(plan.variantOf!({ role: "x`]->(b) DETACH DELETE b //" })).toBe("`x``]->(b) DETACH DELETE b //`");
    expect(plan.statement(plan.variantOf!({ role: "x`]->(b) DETACH DELETE b //" }))).toContain("MERGE (a)-[r:`x``]->(b) DETACH DELETE b //`]->(b)");
    expect(() => plan.variantOf!({ role: "" })).toThrow(expect.objectContaining({ code: "GL_INVALID_IDENTIFIER", message: 'relationship type from column "role" must not be empty' }));
    expect(() => plan.variantOf!({ role: "  " })).toThrow(expect.objectContaining({ code: "GL_INVALID_IDENTIFIER" }));
    expect(() => plan.variantOf!({ role: "A\nB" })).toThrow(expect.objectContaining({ code: "GL_INVALID_IDENTIFIER", message: expect.stringContaining("control character") }));
  });

  it("add labels to a node merged on its fixed labels, leaving out those it has already", () => {
    const plan = taskPlanOf(
      `
name: airports
source: { file: drugs.csv }
node:
  labels: [Airport, { column: kind }, { column: role, values: { PS: Primary, A: Airport } }]
  key: [id]
  properties: { id: case }
`,
      files,
    );
    expect(plan.variantOf!({ case: "1", kind: "Large", role: "PS" })).toBe("Large:Primary");
    expect(plan.variantOf!({ case: "1", kind: "Large", role: "A" })).toBe("Large");
    expect(plan.variantOf!({ case: "1", kind: "Airport", role: "A" })).toBe("");
    expect(plan.statement("Large:Primary")).toBe(TEXT_ID + "\nMERGE (n:`Airport` {`id`: c0[i]})\nSET n:`Large`:`Primary`");
    expect(plan.statement("")).toBe(TEXT_ID + "\nMERGE (n:`Airport` {`id`: c0[i]})");
  });

  it("without a fixed label, merge the node on the labels from its columns", () => {
    const plan = taskPlanOf(
      `
name: things
source: { file: drugs.csv }
node:
  labels: [{ column: kind, values: { a: Apple, p: Pear } }]
  key: [id]
  properties: { id: case }
`,
      files,
    );
    expect(plan.statements.map(({ variant, cypher }) => [variant, cypher])).toEqual([
      ["Apple", TEXT_ID + "\nMERGE (n:`Apple` {`id`: c0[i]})"],
      ["Pear", TEXT_ID + "\nMERGE (n:`Pear` {`id`: c0[i]})"],
    ]);
    expect(plan.identities!(["7"], "Pear")).toEqual([["Pear|id", "7"]]);
  });

  it("are part of a created node's labels", () => {
    const plan = taskPlanOf(
      `
name: things
source: { file: drugs.csv }
mode: create
node: { labels: [Thing, { column: kind }], key: [id], properties: { id: case } }
`,
      files,
    );
    expect(plan.statement("Large")).toBe(TEXT_ID + "\nCREATE (n:`Thing`:`Large` {`id`: c0[i]})");
  });
});
