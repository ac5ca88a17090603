// Writes a plan all-or-nothing, or compares it with the tree (--check). Only files carrying the generated
// header are ever overwritten or deleted; a hand-written file in the way stops everything.
import { fileSystemError, InputError } from "../lib/cli.ts";
import { isGenerated } from "./emit.ts";
import type { FilePlan } from "./plan.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

export interface Drift {
  changed: string[];
  missing: string[];
  stale: string[];
}

/** Generated files on disk under the given folders (what a plan may replace or remove). */
export function generatedFilesOnDisk(root: string, dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "credentials") walk(child);
        // An environment's settings.yaml is its source, never generated (and read once per run, by the settings loader).
      } else if (entry.name !== "settings.yaml" && isGenerated(fs.readFileSync(path.join(root, child), "utf8"))) out.push(child);
    }
  };
  dirs.forEach(walk);
  return out.sort();
}

export function compare(root: string, plan: FilePlan, owned: string[]): Drift {
  const drift: Drift = { changed: [], missing: [], stale: [] };
  for (const [file, content] of [...plan].sort(([a], [b]) => a.localeCompare(b))) {
    const abs = path.join(root, file);
    if (!fs.existsSync(abs)) drift.missing.push(file);
    else if (fs.readFileSync(abs, "utf8") !== content) drift.changed.push(file);
  }
  drift.stale = owned.filter((f) => !plan.has(f));
  return drift;
}

/** Refuses to overwrite a hand-written file, then writes every file to a temporary sibling and renames. */
export function writePlan(root: string, plan: FilePlan, owned: string[], handWrittenOk: Set<string> = new Set()): Drift {
  const drift = compare(root, plan, owned);
  for (const file of drift.changed) {
    const current = fs.readFileSync(path.join(root, file), "utf8");
    if (!isGenerated(current) && !handWrittenOk.has(file)) {
      throw new InputError("refusing to overwrite a file the generator did not write", {
        file,
        expected: "move it away or add it to the overlay's settings (extraResources/extraPatches)",
      });
    }
  }
  const toWrite = [...drift.changed, ...drift.missing];
  const staged: [string, string][] = [];
  let writing = "";
  try {
    for (const file of toWrite) {
      writing = file;
      const abs = path.join(root, file);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      const tmp = `${abs}.tmp-${process.pid}`;
      fs.writeFileSync(tmp, plan.get(file) ?? "");
      staged.push([tmp, abs]);
    }
  } catch (err) {
    for (const [tmp] of staged) fs.rmSync(tmp, { force: true });
    // Named by the file it was for (not its staging copy); every file is staged before any is replaced.
    const reason = fileSystemError(err);
    if (reason) throw new InputError(`cannot write: ${reason.message}; nothing was changed`, { file: writing, expected: reason.details.expected! });
    throw err;
  }
  for (const [tmp, abs] of staged) fs.renameSync(tmp, abs);
  for (const file of drift.stale) fs.rmSync(path.join(root, file));
  return drift;
}
