import { Date as Neo4jDate, DateTime, LocalDateTime, int } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { bindMysqlParameters, mysqlLiteral } from "../../../src/source/mysql-parameters.js";

const hex = (text: string) => `_utf8mb4 X'${Buffer.from(text).toString("hex")}'`;

describe("MySQL parameters", () => {
  it("binds $n by its number, repeated and out of order", () => {
    expect(bindMysqlParameters("SELECT * FROM t WHERE b < $2 AND a > $1 OR a = $1 LIMIT $2", [5, 10])).toBe("SELECT * FROM t WHERE b < 10 AND a > 5 OR a = 5 LIMIT 10");
  });

  it("leaves $n alone in strings, quoted names, comments and names", () => {
    const sql = `SELECT '$1', 'it''s $1', 'a\\'$1', "$2", \`c$1\`, price$1 -- $1\n, # $2\n /* $1 */ x FROM t WHERE k > $1`;
    expect(bindMysqlParameters(sql, [7])).toBe(sql.replace(/\$1$/, "7"));
  });

  it("binds inside MySQL's executable comments, which the server runs", () => {
    expect(bindMysqlParameters("SELECT /*!50000 $1 */ 1", [3])).toBe("SELECT /*!50000 3 */ 1");
  });

  it("refuses a placeholder without a value, naming it", () => {
    expect(() => bindMysqlParameters("SELECT * FROM t WHERE a > $3", [1, 2])).toThrow(/uses \$3, but only \$1, \$2 are bound/);
    expect(() => bindMysqlParameters("SELECT $1", [])).toThrow(/none is bound/);
  });

  it("writes 64-bit integers exactly and text in hexadecimal, whatever sql_mode says of quotes and backslashes", () => {
    expect(mysqlLiteral(int("9007199254740993"))).toBe("9007199254740993");
    expect(mysqlLiteral(2.5)).toBe("2.5");
    expect(mysqlLiteral("O'Br\\ien")).toBe(hex("O'Br\\ien"));
    expect(mysqlLiteral(null)).toBe("NULL");
    expect(mysqlLiteral(true)).toBe("TRUE");
    expect(mysqlLiteral(new Int8Array([0, -1]))).toBe("X'00ff'");
    expect(() => mysqlLiteral(Number.NaN)).toThrow();
  });

  it("writes temporal keys as ISO text to the microsecond, a zoned one at UTC", () => {
    expect(mysqlLiteral(new Neo4jDate(1996, 7, 4))).toBe(hex("1996-07-04"));
    expect(mysqlLiteral(new LocalDateTime(1996, 7, 4, 10, 15, 30, 250_000_000))).toBe(hex("1996-07-04T10:15:30.250000"));
    expect(mysqlLiteral(new DateTime(1996, 7, 4, 10, 15, 30, 123_456_789, 7200))).toBe(hex("1996-07-04T08:15:30.123456"));
    expect(mysqlLiteral(new DateTime(1996, 7, 4, 10, 15, 30, 0, 0))).toBe(hex("1996-07-04T10:15:30"));
  });
});
