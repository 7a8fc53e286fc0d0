import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConnection } from "../../../src/cli/connection-options.js";
import { compileImportSpec } from "../../../src/import-spec/compile-import-spec.js";
import { readSecretFile } from "../../../src/secret-file.js";
import { workDir } from "../../support/run-fixture.js";

/** Files as their path prefixed, so the winner shows which source it came from; records the files read. */
function fakeFiles() {
  const read: string[] = [];
  return { read, readSecret: (path: string) => (read.push(path), `file:${path}`) };
}

const password = (flags: { password?: string; passwordFile?: string }, env: Record<string, string>, file: { password?: string } = { password: "pipeline" }) => {
  const files = fakeFiles();
  return { password: resolveConnection(flags, env, file, files.readSecret).password, read: files.read };
};

describe("the password's precedence", () => {
  const env = { NEO4J_PASSWORD: "env", NEO4J_PASSWORD_FILE: "/env-file" };
  it("--password first, reading no file", () => {
    expect(password({ password: "flag", passwordFile: "/flag-file" }, env)).toEqual({ password: "flag", read: [] });
  });
  it("then --password-file", () => {
    expect(password({ passwordFile: "/flag-file" }, env)).toEqual({ password: "file:/flag-file", read: ["/flag-file"] });
  });
  it("then NEO4J_PASSWORD", () => {
    expect(password({}, env)).toEqual({ password: "env", read: [] });
  });
  it("then NEO4J_PASSWORD_FILE", () => {
    expect(password({}, { NEO4J_PASSWORD: "", NEO4J_PASSWORD_FILE: "/env-file" })).toEqual({ password: "file:/env-file", read: ["/env-file"] });
  });
  it("then the pipeline", () => {
    expect(password({}, {})).toEqual({ password: "pipeline", read: [] });
    expect(password({}, {}, {})).toEqual({ password: undefined, read: [] });
  });
});

describe("secret files", () => {
  it("trims one trailing newline, no more", () => {
    const dir = workDir({ unix: "s3cr3t\n", dos: "s3cr3t\r\n", two: "s3cr3t\n\n", none: " s3cr3t " });
    expect(["unix", "dos", "two", "none"].map((name) => readSecretFile(join(dir, name), "test"))).toEqual(["s3cr3t", "s3cr3t", "s3cr3t\n", " s3cr3t "]);
  });

  it("a file that cannot be read is GL_SECRET_FILE naming it and where it was given", () => {
    const missing = join(workDir(), "nope");
    let error: unknown;
    try {
      resolveConnection({ passwordFile: missing }, {}, {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: "GL_SECRET_FILE" });
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toContain("--password-file");
  });

  it("reads a data source's URL from GRAPHLOAD_DATA_SOURCE_<NAME>_FILE after the flag and the plain variable", () => {
    const dir = workDir({ url: "postgresql://u:pw@127.0.0.1:5432/fromfile\n" });
    const spec = {
      version: "1",
      sources: [{ name: "people", type: "jdbc", data_source: "shop", sql: "SELECT * FROM people" }],
      targets: { nodes: [{ name: "people", source: "people", labels: ["Person"], properties: [{ source_field: "id", target_property: "id" }] }] },
    };
    const urlOf = (dataSources: Record<string, string>, env: Record<string, string>) => {
      const { document } = compileImportSpec(spec, { file: join(dir, "spec.yaml"), dataSources, env });
      return JSON.stringify(document).match(/postgresql:\/\/[^"]*/)?.[0];
    };
    const env = { GRAPHLOAD_DATA_SOURCE_SHOP_FILE: join(dir, "url") };
    expect(urlOf({}, env)).toBe("postgresql://u:pw@127.0.0.1:5432/fromfile");
    expect(urlOf({}, { ...env, GRAPHLOAD_DATA_SOURCE_SHOP: "postgresql://u@h/fromvar" })).toBe("postgresql://u@h/fromvar");
    expect(urlOf({ shop: "postgresql://u@h/fromflag" }, env)).toBe("postgresql://u@h/fromflag");
    expect(() => urlOf({}, { GRAPHLOAD_DATA_SOURCE_SHOP_FILE: join(dir, "missing") })).toThrow(/GRAPHLOAD_DATA_SOURCE_SHOP_FILE file .*missing/);
  });
});
