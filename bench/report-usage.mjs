// Preloaded into a graphload process (node --import) so the benchmark can read its peak
// RSS and CPU time, which the parent cannot observe from outside.
import { writeSync } from "node:fs";

process.on("exit", () => {
  const usage = process.resourceUsage();
  writeSync(2, `\ngraphload-usage ${JSON.stringify({ maxRssKb: usage.maxRSS, userCpuUs: usage.userCPUTime, systemCpuUs: usage.systemCPUTime })}\n`);
});
