import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CronJob } from "kubernetes-models/batch/v1";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * The README's "Running on a schedule" shows a Kubernetes CronJob. No cluster runs here, so
 * the manifest is checked offline against the Kubernetes API schema that kubernetes-models
 * bundles, and against what the section promises, so that neither can drift.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const readme = readFileSync(`${root}README.md`, "utf8");
const version = (JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { version: string }).version;

function scheduleSection(): string {
  const start = readme.indexOf("\n## Running on a schedule\n");
  expect(start, "README.md has a section \"Running on a schedule\"").toBeGreaterThan(0);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The YAML of the section's code block that holds `kind: CronJob`. */
function manifestText(): string {
  const blocks = [...scheduleSection().matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]);
  const manifests = blocks.filter((block) => /^kind: CronJob$/m.test(block));
  expect(manifests).toHaveLength(1);
  return manifests[0];
}

/** Validates `text` as a CronJob; throws what the schema finds wrong. */
function validate(text: string): CronJob {
  const job = new CronJob(parse(text) as ConstructorParameters<typeof CronJob>[0]);
  job.validate();
  return job;
}

describe("the README's Kubernetes CronJob", () => {
  it("is a valid batch/v1 CronJob by the Kubernetes API schema", () => {
    expect(() => validate(manifestText())).not.toThrow();
  });

  it("fails the check when broken: a wrong enum value, a missing required field, a wrong type", () => {
    const text = manifestText();
    const broken = [
      text.replace("concurrencyPolicy: Forbid", "concurrencyPolicy: Never"),
      text.replace("restartPolicy: Never", "restartPolicy: Sometimes"),
      text.replace("- name: graphload\n", "- nome: graphload\n"),
      text.replace("backoffLimit: 3", "backoffLimit: three"),
    ];
    for (const copy of broken) {
      expect(copy).not.toBe(text);
      expect(() => validate(copy)).toThrow();
    }
  });

  it("runs what the section says: --resume, --metrics-push, the password from a mounted Secret file, one run at a time", () => {
    const job = validate(manifestText());
    expect(job.spec?.concurrencyPolicy).toBe("Forbid");
    const pod = job.spec?.jobTemplate.spec?.template.spec;
    expect(pod?.restartPolicy).toBe("Never");
    const [container] = pod?.containers ?? [];
    expect(container.image).toMatch(new RegExp(`/graphload:${version.replace(/\./g, "\\.")}$`));
    expect(container.args?.slice(0, 1)).toEqual(["run"]);
    expect(container.args).toContain("--resume");
    expect(container.args?.[(container.args?.indexOf("--metrics-push") ?? -2) + 1]).toMatch(/^https?:\/\//);
    const passwordFile = container.env?.find((variable) => variable.name === "NEO4J_PASSWORD_FILE")?.value;
    expect(container.env?.map((variable) => variable.name)).not.toContain("NEO4J_PASSWORD");
    const mount = container.volumeMounts?.find((candidate) => passwordFile?.startsWith(`${candidate.mountPath}/`));
    expect(mount, "NEO4J_PASSWORD_FILE lies in a mounted volume").toBeDefined();
    const volume = pod?.volumes?.find((candidate) => candidate.name === mount?.name);
    expect(volume?.secret?.secretName, "that volume is a Secret").toBeTruthy();
    const fileName = passwordFile!.slice(mount!.mountPath.length + 1);
    expect(volume?.secret?.items?.map((item) => item.path) ?? [fileName]).toContain(fileName);
    for (const { name } of container.volumeMounts ?? []) expect(pod?.volumes?.map((candidate) => candidate.name)).toContain(name);
    // The exit codes the failure policy gives up on are the ones the section's table says retrying cannot help.
    expect(job.spec?.jobTemplate.spec?.podFailurePolicy?.rules[0].onExitCodes?.values).toEqual([2, 3, 4]);
  });

  it("names the image's base as the Dockerfile has it, a Node release with security fixes", () => {
    const bases = [...readFileSync(`${root}Dockerfile`, "utf8").matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) {
      expect(scheduleSection()).toContain(`base \`${base}\``);
      const major = Number(/^node:(\d+)/.exec(base)?.[1]);
      expect(major, `${base}: Node 20 reached its end of life in April 2026`).toBeGreaterThanOrEqual(22);
    }
  });
});
