// A content-addressed cache of kustomize builds. A build's output depends only on the files its kustomization
// reaches (its own file, the resources, components, patches and generator inputs it names, recursively), so the
// key is the hash of exactly those files' relative paths and bytes, plus the kustomize command and its binary's
// identity (kustomize-tool.ts).
// The same overlay built in a scratch mirror (the generator's verification) and in the repository therefore
// shares one entry: `npm run check` builds each overlay once, and nothing at all when nothing changed.
// Anything the key cannot see (remote resources, Helm charts, plugins, fields we do not know) is not cached.
// MCP_STACK_KUSTOMIZE_CACHE=0 turns the cache off.
import { parse } from "yaml";
const { createHash } = process.getBuiltinModule("node:crypto");
const fs = process.getBuiltinModule("node:fs");
const os = process.getBuiltinModule("node:os");
const path = process.getBuiltinModule("node:path");

/** The names kustomize reads an overlay's kustomization from. */
export const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/** Fields whose file references we follow; a kustomization with any other field is never cached. */
const KNOWN_FIELDS = new Set([
  "apiVersion",
  "kind",
  "metadata",
  "namespace",
  "namePrefix",
  "nameSuffix",
  "resources",
  "components",
  "bases",
  "patches",
  "patchesStrategicMerge",
  "patchesJson6902",
  "configMapGenerator",
  "secretGenerator",
  "generatorOptions",
  "images",
  "replicas",
  "labels",
  "commonLabels",
  "commonAnnotations",
  "buildMetadata",
  "sortOptions",
  "transformers",
]);

const REMOTE = /^(https?:\/\/|git@|ssh:\/\/|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\/\/$/;

class Uncacheable extends Error {}

type Entries = Map<string, string>;

/**
 * Files' hashes by absolute path and kind, shared by the keys computed in one synchronous stretch (buildKeys): the
 * gate keys a dozen builds at once that all read base/ and the components, and no file changes in between.
 */
type FileHashes = Map<string, string>;
let sharedHashes: FileHashes | undefined;

/** `envFile`: kustomize skips comment and blank lines of env files, so the key does too. */
function addFile(entries: Entries, file: string, base: string, envFile = false): void {
  const rel = path.relative(base, file);
  if (entries.has(`f:${rel}`)) return;
  const memo = `${envFile ? "e" : "f"}:${file}`;
  const known = sharedHashes?.get(memo);
  if (known !== undefined) {
    entries.set(`f:${rel}`, known);
    return;
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new Uncacheable(); // let kustomize report the missing file
  }
  if (envFile) {
    const lines = bytes.toString("utf8").split("\n").filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
    bytes = Buffer.from(lines.join("\n"));
  }
  const hash = createHash("sha256").update(bytes).digest("hex");
  sharedHashes?.set(memo, hash);
  entries.set(`f:${rel}`, hash);
}

/**
 * Runs `body` (synchronous: nothing else runs meanwhile) with each file read and hashed once for all the keys it
 * computes; a file written by `body` itself must be written before the first key that reads it.
 */
export function withSharedFileHashes<T>(body: () => T): T {
  if (sharedHashes) return body();
  sharedHashes = new Map();
  try {
    return body();
  } finally {
    sharedHashes = undefined;
  }
}

/**
 * Kustomization files parsed, by the hash of their bytes: every overlay's key reads base/ and the same components,
 * and the gate keys a dozen builds. Read-only; the oldest entry goes beyond MAX_PARSED.
 */
const MAX_PARSED = 512;
const parsed = new Map<string, Record<string, unknown> | null>();
function parsedKustomization(file: string, hash: string): Record<string, unknown> | null {
  if (parsed.has(hash)) return parsed.get(hash)!;
  const k = parse(fs.readFileSync(file, "utf8")) as Record<string, unknown> | null;
  if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value!);
  parsed.set(hash, k);
  return k;
}

function visitKustomization(dir: string, base: string, entries: Entries, depth: number): void {
  if (depth > 20) throw new Uncacheable();
  const rel = path.relative(base, dir);
  if (entries.has(`d:${rel}`)) return;
  entries.set(`d:${rel}`, "");
  const name = KUSTOMIZATION_FILES.find((f) => fs.existsSync(path.join(dir, f)));
  if (!name) throw new Uncacheable();
  const file = path.join(dir, name);
  addFile(entries, file, base);
  const k = parsedKustomization(file, entries.get(`f:${path.relative(base, file)}`)!);
  if (!k || typeof k !== "object") throw new Uncacheable();
  for (const key of Object.keys(k)) if (!KNOWN_FIELDS.has(key)) throw new Uncacheable();

  const local = (ref: unknown): string => {
    if (typeof ref !== "string" || REMOTE.test(ref)) throw new Uncacheable();
    return path.resolve(dir, ref);
  };
  const resourceOrDir = (ref: unknown) => {
    const target = local(ref);
    if (fs.existsSync(target) && fs.statSync(target).isDirectory()) visitKustomization(target, base, entries, depth + 1);
    else addFile(entries, target, base);
  };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

  for (const ref of [...list(k.resources), ...list(k.bases), ...list(k.components)]) resourceOrDir(ref);
  for (const p of list(k.patches)) {
    const patch = p as { path?: unknown; patch?: unknown };
    if (patch?.path !== undefined) addFile(entries, local(patch.path), base);
  }
  // Transformer configs: inline (part of this file already) or a file of their own.
  for (const t of list(k.transformers)) {
    if (typeof t === "string" && !t.includes("\n")) addFile(entries, local(t), base);
  }
  for (const p of list(k.patchesStrategicMerge)) {
    if (typeof p === "string" && !p.includes("\n")) addFile(entries, local(p), base);
  }
  for (const p of list(k.patchesJson6902)) {
    const patch = p as { path?: unknown };
    if (patch?.path !== undefined) addFile(entries, local(patch.path), base);
  }
  for (const g of [...list(k.configMapGenerator), ...list(k.secretGenerator)]) {
    const gen = g as { files?: unknown; envs?: unknown; env?: unknown };
    for (const f of list(gen?.files)) {
      const ref = typeof f === "string" && f.includes("=") ? f.slice(f.indexOf("=") + 1) : f;
      addFile(entries, local(ref), base);
    }
    for (const e of [...list(gen?.envs), ...list(gen?.env)]) addFile(entries, local(e), base, true);
  }
}

/** The cache key of `kustomize build dir`, or undefined when the build cannot be keyed safely. */
export function buildKey(dir: string, tool: string): string | undefined {
  if (process.env.MCP_STACK_KUSTOMIZE_CACHE === "0") return undefined;
  const entries: Entries = new Map();
  try {
    visitKustomization(path.resolve(dir), path.resolve(dir), entries, 0);
  } catch (err) {
    if (err instanceof Uncacheable) return undefined;
    throw err;
  }
  const hash = createHash("sha256").update(tool);
  for (const [k, v] of [...entries].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`${k}\0${v}\n`);
  return hash.digest("hex");
}

export interface CachedBuild {
  yaml: string;
  /** kustomize's stderr (deprecation warnings), replayed on a hit so no caller misses them. */
  warnings: string;
}

const memory = new Map<string, CachedBuild>();
/**
 * Outside the repository (a check must leave the tree as it was): $MCP_STACK_KUSTOMIZE_CACHE_DIR, else the user's
 * cache directory. Entries are keyed by content, so clones and branches share them safely.
 */
const cacheDir = () =>
  process.env.MCP_STACK_KUSTOMIZE_CACHE_DIR ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "mcp-stack", "kustomize");

export function readCached(key: string): CachedBuild | undefined {
  const hit = memory.get(key);
  if (hit !== undefined) return hit;
  try {
    const entry = JSON.parse(fs.readFileSync(path.join(cacheDir(), `${key}.json`), "utf8")) as CachedBuild;
    if (typeof entry.yaml !== "string" || typeof entry.warnings !== "string") return undefined;
    memory.set(key, entry);
    return entry;
  } catch {
    return undefined;
  }
}

export function writeCached(key: string, build: CachedBuild): void {
  memory.set(key, build);
  try {
    fs.mkdirSync(cacheDir(), { recursive: true });
    const file = path.join(cacheDir(), `${key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(build));
    fs.renameSync(tmp, file);
  } catch {
    // A read-only checkout still works, just without the disk cache.
  }
}
