#!/usr/bin/env node
// The npm registry reachable on the project's machines omits rollup's native packages for
// other platforms, so an `npm install` here writes a lock file without them and `npm ci`
// then refuses it. This adds the entries npm would have written (version and platform, no
// download address), read from rollup's own optionalDependencies. Run after `npm install`.
import { readFileSync, writeFileSync } from "node:fs";

const lockPath = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const rollup = lock.packages["node_modules/rollup"];
let added = 0;
for (const [name, version] of Object.entries(rollup.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  const match = /^@rollup\/rollup-([a-z0-9]+)-([a-z0-9]+)(?:-([a-z0-9]+))?$/.exec(name);
  if (lock.packages[key] || !match) continue;
  const [, os, cpu, abi] = match;
  const libc = abi?.startsWith("musl") ? ["musl"] : abi?.startsWith("gnu") && os === "linux" ? ["glibc"] : undefined;
  lock.packages[key] = { version, cpu: [cpu], dev: true, license: "MIT", optional: true, os: [os], ...(libc ? { libc } : {}) };
  added++;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
console.log(`added ${added} platform entries to package-lock.json`);
