// Setup file (vitest.config.ts): test files share one process and module cache (isolate: false), so a file that
// leaves process.env, the working directory or process.exitCode changed would change the files run after it. Each
// file is checked when it ends; the failure names what it left behind. The folders it made with scratchDir() go then.
import { afterAll } from "vitest";
import { removeScratchDirs } from "./scratch.ts";
import { saveCodeCaches } from "../../packages/validate/src/perf/code-cache.ts";

const env = { ...process.env };
const cwd = process.cwd();
const exitCode = process.exitCode;

afterAll(() => {
  // Validators' code caches are written at exit: written now, those of a scratch folder go with it.
  saveCodeCaches();
  removeScratchDirs();
  const left: string[] = [];
  for (const key of new Set([...Object.keys(env), ...Object.keys(process.env)])) {
    if (env[key] !== process.env[key]) left.push(`process.env.${key} (${env[key] === undefined ? "unset" : "set"} before, ${process.env[key] === undefined ? "unset" : "set"} after)`);
  }
  if (process.cwd() !== cwd) left.push(`the working directory (${cwd} before, ${process.cwd()} after)`);
  if (process.exitCode !== exitCode) left.push(`process.exitCode (${String(exitCode)} before, ${String(process.exitCode)} after)`);
  if (left.length) throw new Error(`this test file left global state behind for the files after it: ${left.join("; ")}; restore it in the test that changes it`);
});
