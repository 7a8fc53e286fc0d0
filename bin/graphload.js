#!/usr/bin/env -S node --max-semi-space-size=32
// A young generation of 32 MB (Node's default is smaller) lets the rows of batches in flight die young
// instead of being promoted and collected again: about a fifth less client CPU per row, 8 MB more RSS.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv);
