import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    // Generous: some tests run kustomize, PostgreSQL or a CLI process, and a shared 2-core machine can run 8 suites at
    // once. No test asserts time (thresholds live in `npm run bench`), so a timeout only ever catches a hang.
    testTimeout: 120_000,
    // beforeAll hooks generate whole trees; on a loaded shared machine that takes longer than the 10 s default.
    hookTimeout: 120_000,
    // Processes, not threads: a few tests change process.cwd() (not allowed in worker threads).
    pool: "forks",
    // Two workers for two cores; each runs many files.
    maxWorkers: 2,
    // Test files share one module cache per worker: kubernetes-models, ajv and the settings schema load and compile
    // once per worker instead of once per file (a quarter of the suite's CPU). Tests restore what they change
    // (process.env, cwd, exitCode, spies, module switches) and never rely on a fresh import (HELPERS.md).
    isolate: false,
    // ... and fails a file that leaves process.env, the working directory or process.exitCode changed.
    setupFiles: ["test/helpers/global-state.ts"],
    unstubEnvs: true,
    unstubGlobals: true,
  },
});
