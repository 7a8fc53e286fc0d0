#!/usr/bin/env node
import module from "node:module";

// Node 22.1 and later keep the code they compile between runs (in the OS's temporary
// directory, or NODE_COMPILE_CACHE): a one-row run then spends about a tenth less CPU
// (bench/RESULTS.md). Node 20 has no such cache. Enabled before the CLI's modules load.
module.enableCompileCache?.();
const { main } = await import("../dist/cli/main.js");

process.exitCode = await main(process.argv);
