import { describe, expect, it } from "vitest";
import { countText } from "../../src/count-text.js";

describe("countText", () => {
  it("writes counts as toLocaleString('en-US') does, rounded to whole numbers", () => {
    for (const value of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 123_456_789_012, -4321, 2.5, 1234.4]) {
      expect(countText(value)).toBe(Math.round(value).toLocaleString("en-US"));
    }
  });
});
