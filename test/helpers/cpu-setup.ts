// Measurement aid, not in the default config: appends each test file's CPU seconds (this process, and the children
// it waited for, from /proc/self/stat) wall seconds, worker pid and start time (ms) to $TEST_CPU_LOG. Use it through a config that adds it to
// setupFiles, e.g. `mergeConfig(base, { test: { setupFiles: ["test/helpers/cpu-setup.ts"] } })`.
import fs from "node:fs";
import { afterAll, expect } from "vitest";

function ticks(): { self: number; children: number } {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on: utime is field 14
  return { self: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
}

const start = ticks();
const wall = Date.now();
afterAll(() => {
  const end = ticks();
  const file = (expect.getState().testPath ?? "?").replace(`${process.cwd()}/`, "");
  if (process.env.TEST_CPU_LOG) fs.appendFileSync(process.env.TEST_CPU_LOG, `${(end.self - start.self) / 100}\t${(end.children - start.children) / 100}\t${(Date.now() - wall) / 1000}\t${file}\t${process.pid}\t${wall}\n`);
});
