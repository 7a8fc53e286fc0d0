import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    pool: "forks",
    // Integration tests load files into a real server; a cold JVM on a small CI machine is slow.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, "test/integration/**"], globalSetup: ["test/temp-root.ts"] },
      },
      {
        // Only this project needs Neo4j, so `vitest run --project unit` starts none.
        extends: true,
        test: { name: "integration", include: ["test/integration/**/*.test.ts"], globalSetup: ["test/temp-root.ts", "test/global-setup.ts"] },
      },
    ],
  },
});
