import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    // Generous: tests spawn CLIs and kustomize, and a shared 2-core machine can run 8 suites at once (no test asserts time).
    testTimeout: 120_000,
    // beforeAll hooks generate whole trees; on a loaded shared machine that takes longer than the 10 s default.
    hookTimeout: 120_000,
    pool: "forks",
    // Many suites wait on child processes (kustomize, the CLIs): two workers keep both cores busy.
    maxWorkers: 2,
  },
});
