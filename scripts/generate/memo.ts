// A content-addressed memo of the generator's plans, so `generate --check` (and the gate's step 1) does not rebuild the
// model, re-derive every patch and run kustomize's verification builds again for inputs it has already planned.
// The generator is deterministic: a part of the plan depends only on the generator's code and that part's inputs.
// So a memo key is the hash of the code that runs (every file under scripts/, policy/ and packages/, the lockfile
// and the kustomize binary's path, size and mtime) plus the part's own inputs (an environment's validated settings,
// its local credentials and its hand-written extra files, ...). Only plans that were computed and verified in full
// are stored; a failure is computed (and reported) again every time. MCP_STACK_GENERATE_CACHE=0 turns it off;
// MCP_STACK_GENERATE_CACHE_DIR puts it elsewhere (default .cache/generate).
import type { Dirent } from "node:fs";
import { CACHE_DIR, REPO_ROOT } from "../lib/paths.ts";
import { kustomizeIdentity } from "../lib/kustomize-tool.ts";
const { createHash } = process.getBuiltinModule("node:crypto");
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

/** What makes up the generator's behaviour, relative to the repository that runs. */
const CODE_DIRS = ["scripts", "policy", "packages"];
const CODE_FILES = ["package-lock.json", "package.json"];
const SKIP = new Set(["node_modules", "test", ".cache"]);

let code: string | undefined;

/** The hash of the generator's code, its dependencies' versions and the kustomize binary; once per process. */
export function codeFingerprint(): string {
  if (code !== undefined) return code;
  const hash = createHash("sha256");
  const add = (rel: string) => {
    hash.update(`${rel}\0`);
    hash.update(fs.readFileSync(path.join(REPO_ROOT, rel)));
    hash.update("\0");
  };
  const walk = (rel: string) => {
    let entries: Dirent[];
    try {
      entries = fs.readdirSync(path.join(REPO_ROOT, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (SKIP.has(e.name)) continue;
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.isFile()) add(child);
    }
  };
  CODE_DIRS.forEach(walk);
  for (const f of CODE_FILES) if (fs.existsSync(path.join(REPO_ROOT, f))) add(f);
  hash.update(kustomizeIdentity());
  return (code = hash.digest("hex"));
}

/** An input file for a key: the hash of its bytes, or "missing" (a missing file is an input too). */
export function fileInput(file: string): string {
  try {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  } catch {
    return "missing";
  }
}
/** A long text input for a key, hashed. */
export const textInput = (text: string): string => createHash("sha256").update(text).digest("hex");

const enabled = () => process.env.MCP_STACK_GENERATE_CACHE !== "0";
const dir = () => process.env.MCP_STACK_GENERATE_CACHE_DIR ?? path.join(CACHE_DIR, "generate");

const fileOf = (part: string, inputs: unknown) => path.join(dir(), `${createHash("sha256").update(JSON.stringify([codeFingerprint(), part, inputs])).digest("hex")}.json`);

/** Stores entries computed (and verified) elsewhere under this part and these inputs, for a later memoized() call. */
export function remember(part: string, inputs: unknown, entries: Map<string, string>): void {
  if (!enabled()) return;
  const file = fileOf(part, inputs);
  try {
    fs.mkdirSync(dir(), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify([...entries]));
    fs.renameSync(tmp, file);
  } catch {
    // a read-only cache only makes the next run slower
  }
}

/**
 * The plan entries `compute` returns for these inputs, from the memo when they were computed before. The key covers
 * the code fingerprint, `part` and `inputs` (JSON); the entries are [repository-relative file, content] pairs.
 */
export async function memoized(part: string, inputs: unknown, compute: () => Promise<Map<string, string>>): Promise<Map<string, string>> {
  if (!enabled()) return compute();
  try {
    return new Map(JSON.parse(fs.readFileSync(fileOf(part, inputs), "utf8")) as [string, string][]);
  } catch {
    // not planned before (or unreadable): computed below
  }
  const entries = await compute();
  remember(part, inputs, entries);
  return entries;
}
