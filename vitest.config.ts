import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

// Node's module compile cache for the workers and every process a test starts (the CLIs, the stand-in kubectl):
// code compiled (and type-stripped) once is reused by the next process. Keyed by the source's content, so it cannot
// serve stale code. Set here, in the main process, so the workers inherit it from their start.
process.env.NODE_COMPILE_CACHE ??= path.join(os.tmpdir(), "mcp-stack-test-compile-cache");

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
