// Reading input the way kubeconform does: split on "\n---", parse each document as YAML 1.1
// (sigs.k8s.io/yaml semantics: yes/no/on/off are booleans, timestamps stay strings), strict mode
// rejecting duplicate keys. js-yaml is used because it parses 5-10x faster than the `yaml` package.
import fs from "node:fs";
import path from "node:path";
import yaml from "js-yaml";

/** kubeconform's bufio.Scanner buffer: a single document larger than this is an error. */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
/** Whole files beyond this are refused before reading, so a stray dump cannot exhaust memory. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface Chunk {
  text: string;
  /** 1-based index of the document in its file. */
  index: number;
  /** 1-based line where the document starts. */
  line: number;
}

/**
 * kubeconform's SplitYAMLDocument: a document ends at "\n---"; the rest of the separator line is
 * discarded. Empty documents are kept (kubeconform reports them as Empty and does not count them).
 */
export function splitDocuments(content: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let line = 1;
  let index = 1;
  for (;;) {
    const sep = content.indexOf("\n---", start);
    if (sep < 0) {
      if (start < content.length) chunks.push({ text: content.slice(start), index, line });
      break;
    }
    const text = content.slice(start, sep);
    chunks.push({ text, index: index++, line });
    const lineEnd = content.indexOf("\n", sep + 4);
    line += countNewlines(text) + 1 + (lineEnd < 0 ? 0 : 1);
    if (lineEnd < 0) break; // "---" on the last line: nothing follows
    start = lineEnd + 1;
  }
  return chunks;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

// YAML 1.1 booleans as go-yaml v2 (behind sigs.k8s.io/yaml) resolves them.
const YAML11_BOOLEANS: Record<string, boolean> = {};
for (const w of ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]) YAML11_BOOLEANS[w] = true;
for (const w of ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]) YAML11_BOOLEANS[w] = false;

const yaml11Bool = new yaml.Type("tag:yaml.org,2002:bool", {
  kind: "scalar",
  resolve: (data: unknown) => typeof data === "string" && data in YAML11_BOOLEANS,
  construct: (data: string) => YAML11_BOOLEANS[data],
  predicate: (v: unknown) => typeof v === "boolean",
  represent: { lowercase: (v: unknown) => (v ? "true" : "false") },
  defaultStyle: "lowercase",
});

/** Core schema (no timestamps, no binary) plus YAML 1.1 booleans and merge keys, like go-yaml v2. */
// js-yaml exports its built-in types at runtime; @types/js-yaml does not declare them.
const mergeType = (yaml as unknown as { types: { merge: yaml.Type } }).types.merge;
const KUBE_YAML_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [yaml11Bool, mergeType] });

export type ParseOutcome = { ok: true; value: unknown } | { ok: false; reason: string; line?: number };

/** Parses one document; in strict mode a duplicate key is an error, otherwise the last one wins. */
export function parseDocument(text: string, strict: boolean): ParseOutcome {
  try {
    const value = loadFirst(text, strict);
    const aliasing = excessiveAliasing(text, value);
    if (aliasing) return { ok: false, reason: aliasing };
    return { ok: true, value };
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      const line = err.mark ? err.mark.line + 1 : undefined;
      const reason = /duplicated mapping key/.test(err.reason ?? "")
        ? `unmarshal errors: line ${line}: ${duplicateKeyMessage(text, err)}`
        : `line ${line ?? "?"}: ${err.reason}`;
      return { ok: false, reason, line };
    }
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

function loadFirst(text: string, strict: boolean): unknown {
  const options = { schema: KUBE_YAML_SCHEMA, json: !strict };
  try {
    return yaml.load(text, options);
  } catch (err) {
    // go-yaml reads the first document of a chunk and ignores the rest ("..." end markers).
    if (err instanceof yaml.YAMLException && /expected a single document/.test(err.reason ?? "")) {
      return yaml.loadAll(text, undefined, options)[0];
    }
    throw err;
  }
}

/** go-yaml's wording: `key "name" already set in map`. */
function duplicateKeyMessage(text: string, err: yaml.YAMLException): string {
  const lineText = err.mark ? (text.split("\n")[err.mark.line] ?? "") : "";
  const key = /^\s*(?:-\s+)?["']?([^"':]+)["']?\s*:/.exec(lineText)?.[1];
  return key ? `key "${key}" already set in map` : "duplicate key";
}

/**
 * Alias bombs: js-yaml shares aliased nodes instead of copying them, but validating walks the
 * expansion. Refuse documents whose expansion is mostly aliases, with go-yaml v2's thresholds.
 */
function excessiveAliasing(text: string, value: unknown): string | undefined {
  if (!text.includes("*") || value === null || typeof value !== "object") return undefined;
  const expandedSize = new Map<object, number>();
  const inProgress = new Set<object>();
  let unique = 0;
  const sizeOf = (node: unknown): number => {
    if (node === null || typeof node !== "object") return 1;
    const known = expandedSize.get(node);
    if (known !== undefined) return known;
    if (inProgress.has(node)) return Infinity; // a cycle expands forever
    inProgress.add(node);
    unique++;
    let size = 1;
    for (const child of Array.isArray(node) ? node : Object.values(node)) size += sizeOf(child);
    inProgress.delete(node);
    expandedSize.set(node, size);
    return size;
  };
  const total = sizeOf(value);
  const aliased = total - unique;
  if (total === Infinity) return "document contains a recursive alias";
  if (aliased > 100 && total > 1000 && aliased / total > allowedAliasRatio(total)) {
    return "document contains excessive aliasing";
  }
  return undefined;
}

function allowedAliasRatio(decodeCount: number): number {
  const low = 400_000;
  const high = 4_000_000;
  if (decodeCount <= low) return 0.99;
  if (decodeCount >= high) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - low) / (high - low));
}

// --- finding input files ---------------------------------------------------------------------

export type InputSource =
  | { kind: "file"; path: string }
  | { kind: "stdin" }
  | { kind: "unreadable"; path: string; reason: string }
  | { kind: "ignored"; path: string; reason: string };

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** kubeconform's discovery: directories are walked in lexical order; only .yaml/.yml/.json files count. */
export function discoverInputs(paths: readonly string[]): InputSource[] {
  const sources: InputSource[] = [];
  for (const p of paths) {
    if (p === "-") {
      sources.push({ kind: "stdin" });
      continue;
    }
    walk(p, sources, true);
  }
  return sources;
}

function walk(p: string, sources: InputSource[], explicit: boolean): void {
  let stat: fs.Stats;
  try {
    stat = explicit ? fs.statSync(p) : fs.lstatSync(p);
  } catch (err) {
    sources.push({ kind: "unreadable", path: p, reason: `lstat ${p}: ${describeFsError(err)}` });
    return;
  }
  if (stat.isDirectory()) {
    let entries: string[];
    try {
      entries = fs.readdirSync(p).sort();
    } catch (err) {
      sources.push({ kind: "unreadable", path: p, reason: `open ${p}: ${describeFsError(err)}` });
      return;
    }
    for (const entry of entries) walk(path.join(p, entry), sources, false);
    return;
  }
  if (!MANIFEST_FILE.test(p)) {
    if (explicit) sources.push({ kind: "ignored", path: p, reason: "not a .yaml, .yml or .json file" });
    return;
  }
  sources.push({ kind: "file", path: p });
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return err instanceof Error ? err.message : String(err);
}

export type FileContent = { ok: true; content: string } | { ok: false; reason: string };

/** Reads a manifest file; refuses huge and binary files with a plain message. */
export function readManifestFile(p: string): FileContent {
  try {
    const size = fs.statSync(p).size;
    if (size > MAX_FILE_BYTES) {
      return { ok: false, reason: `file is ${(size / 1048576).toFixed(0)} MiB, larger than the ${MAX_FILE_BYTES / 1048576} MiB limit` };
    }
    return checkText(fs.readFileSync(p, "utf8"));
  } catch (err) {
    return { ok: false, reason: `open ${p}: ${describeFsError(err)}` };
  }
}

export function checkText(content: string): FileContent {
  if (looksBinary(content)) return { ok: false, reason: "binary content (NUL bytes): not YAML or JSON" };
  return { ok: true, content };
}

function looksBinary(content: string): boolean {
  return content.slice(0, 8192).includes("\u0000");
}

export function readStdin(): FileContent {
  try {
    return checkText(fs.readFileSync(0, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code === "EAGAIN" || code === "EOF") return { ok: true, content: "" };
    return { ok: false, reason: `reading stdin: ${describeFsError(err)}` };
  }
}
