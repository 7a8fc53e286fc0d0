import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listInputs, inputContentId } from "../../../src/input/list-inputs.js";
import { workDir } from "../../support/run-fixture.js";

describe("the content identity of a local input", () => {
  it("is its hash, read once per listed entry however many tasks ask, and read again for a new listing", async () => {
    const dir = workDir({ "a.csv": "id\n1\n" });
    const [entry] = await listInputs(join(dir, "a.csv"), { glob: false, cwd: dir });
    const first = await inputContentId(entry);
    expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
    writeFileSync(join(dir, "a.csv"), "id\n2\n");
    expect(await inputContentId(entry)).toBe(first);
    const [relisted] = await listInputs(join(dir, "a.csv"), { glob: false, cwd: dir });
    expect(await inputContentId(relisted)).not.toBe(first);
  });
});
