// Temporary folders a test file makes for itself, removed when the file ends (global-state.ts's afterAll): files share
// a worker (isolate: false), so a folder made at load time, in a hook or in a test is removed all the same.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const made: string[] = [];

/** A new empty folder under the temporary folder, named `<prefix>XXXXXX`; removed when this test file ends. */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder scratchDir() made so far. */
export function removeScratchDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
