#!/usr/bin/env node
import module from "node:module";

// Node 22.1 and later keep the code they compile between runs (in the OS's temporary
// directory, or NODE_COMPILE_CACHE): a one-row run then spends about a tenth less CPU
// (bench/RESULTS.md). Node 20 has no such cache. Enabled before the CLI's modules load.
module.enableCompileCache?.();

// A reader that stops early (`graphload plan p.yaml | head`, or `2>&1 | head`) closes the pipe:
// what it did not read is dropped and the command ends as it would have, instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
  });
}

const { main } = await import("../dist/cli/main.js");

process.exitCode = await main(process.argv);
