import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "examples/plugins/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Child processes and SQLite files make tests I/O bound; two cores here.
    pool: "forks",
  },
});
