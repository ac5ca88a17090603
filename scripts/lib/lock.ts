// One `generate` at a time per repository: a lock file (created exclusively) holds the writer's pid. A second
// run waits for it; a lock whose process is gone is taken over; after the wait it exits 2 saying who holds it.
import { InputError } from "./cli.ts";
import { onExit } from "./cleanup.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

export async function withLock<T>(root: string, what: string, work: () => Promise<T>, waitMs = 120_000): Promise<T> {
  const file = path.join(root, ".generate.lock");
  const started = Date.now();
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(fs.readFileSync(file, "utf8").trim());
      if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) {
        fs.rmSync(file, { force: true }); // left by a run that was killed
        continue;
      }
      if (pid === process.pid) return await work(); // nested use in one process: the outer call holds it
      if (Date.now() - started > waitMs) {
        throw new InputError(`another ${what} (pid ${pid}) is writing this tree; waited ${Math.round(waitMs / 1000)} s`, {
          file: path.relative(process.cwd(), file) || file,
          expected: "one run at a time: wait for it to finish, or remove the lock file if that process is gone",
        });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const lock = onExit(() => {
    try {
      if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.rmSync(file, { force: true });
    } catch {
      // already gone
    }
  });
  try {
    return await work();
  } finally {
    lock.release();
  }
}
