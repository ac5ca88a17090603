import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

// Scratch files on tmpfs where the machine has one (/dev/shm): the suite makes and removes thousands of files (copies of
// the repository, generate's scratch mirrors, corpora), which on a shared virtual disk cost 15 times the time and
// system CPU of tmpfs. A "tmp" folder like /tmp (mode 1777, so the tests' other users can write there too), and named
// so: tests that require no temporary path in a message look for "/tmp". Workers and every process they start inherit
// TMPDIR (os.tmpdir()); MCP_STACK_TEST_TMPDIR=keep leaves TMPDIR as it is.
// Only with room to spare: a container's /dev/shm is often 64 MB, and a run holds several copies of the repository.
if (process.env.MCP_STACK_TEST_TMPDIR !== "keep") {
  const shm = path.join("/dev/shm", "tmp");
  try {
    const free = fs.statfsSync("/dev/shm");
    if (free.bavail * free.bsize < 2 * 1024 ** 3) throw new Error("tmpfs too small");
    fs.mkdirSync(shm, { recursive: true, mode: 0o1777 });
    if ((fs.statSync(shm).mode & 0o1777) !== 0o1777) fs.chmodSync(shm, 0o1777);
    fs.accessSync(shm, fs.constants.W_OK);
    process.env.TMPDIR = shm;
  } catch {
    // no tmpfs here (or not ours to use): the default temporary folder
  }
}

// The generator's memo (content-addressed: keyed by the hash of the generator's code and each part's inputs) shared by
// every checkout's test runs on this machine, in the temporary folder (readable by the read-only user of
// cli-contract's test): a run of the same code elsewhere (another worktree, the landing run) has planned the test
// copies' trees already. Tests that need a memo of their own set MCP_STACK_GENERATE_CACHE_DIR themselves.
process.env.MCP_STACK_GENERATE_CACHE_DIR ??= path.join(os.tmpdir(), "mcp-stack-test-generate-memo");

// Node's module compile cache for the workers and every process a test starts (the CLIs, the stand-in kubectl):
// code compiled (and type-stripped) once is reused by the next process. Keyed by the source's path and content, so it
// cannot serve stale code. The repository's own (.cache/node-compile, the npm scripts'), so a first `npm test` after
// `npm run all` (CI's fresh clone) finds the modules that run compiled. A process that cannot write it (the read-only
// user of cli-contract's test) is only slower. Set here, in the main process, so the workers inherit it.
process.env.NODE_COMPILE_CACHE ??= path.join(import.meta.dirname, ".cache", "node-compile");

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
    // (process.env, cwd, exitCode, spies, module switches) and never rely on a fresh import.
    isolate: false,
    // Test files and what they import load through Node's own module loader (type stripping, as the scripts run) instead
    // of Vite's module runner: nothing to transform in the main process, and the workers use Node's compile cache
    // (NODE_COMPILE_CACHE above). The suite uses no vi.mock or import.meta.vitest, which need the runner.
    experimental: { viteModuleRunner: false },
    // ... and fails a file that leaves process.env, the working directory or process.exitCode changed.
    setupFiles: ["test/helpers/global-state.ts"],
    unstubEnvs: true,
    unstubGlobals: true,
  },
});
