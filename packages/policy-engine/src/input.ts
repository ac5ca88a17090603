// Reading manifests: YAML (or JSON) files, directories and stdin, split into documents with the
// line each object starts on. Documents are split on `---` lines and parsed one by one: kustomize's block style by
// the validate package's simple reader, anything else by js-yaml, both several times faster than a full CST parse,
// which the SARIF location does not need.
import type { Stats } from "node:fs";
import { DEFAULT_SCHEMA, load, type Type } from "js-yaml";
import { readSimpleYaml, type PlainResolver } from "@mcp-stack/validate/simple-yaml";
import { fileErrorReason, PolicyInputError as InputError } from "./errors.ts";
import { asArray, isRecord } from "./helpers.ts";
import { lineLocator } from "./locate.ts";
import type { K8sObject, SourceObject } from "./types.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

/** A document marker line: `---` (possibly followed by content) or `...`. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r]|$)(.*)$/gm;
/** The first line of a document that is neither blank, a comment nor a directive. */
const CONTENT_LINE = /^[ \t]*[^\s#%]/m;

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** One document of a multi-document YAML text that has content: its text, its first line and its content's line. */
export interface DocumentChunk {
  text: string;
  /** 1-based line the chunk starts on. */
  chunkLine: number;
  /** 1-based line of its first line that is neither blank, a comment nor a directive. */
  line: number;
}

/** Splits a multi-document YAML text on its `---` / `...` lines, skipping documents without content. */
export function splitDocuments(text: string): DocumentChunk[] {
  const out: DocumentChunk[] = [];
  let docStart = 0;
  let docLine = 1;
  const flush = (end: number) => {
    const chunk = text.slice(docStart, end);
    const content = CONTENT_LINE.exec(chunk);
    if (content) out.push({ text: chunk, chunkLine: docLine, line: docLine + countNewlines(chunk, 0, content.index) });
  };
  DOCUMENT_MARKER.lastIndex = 0;
  for (let m = DOCUMENT_MARKER.exec(text); m; m = DOCUMENT_MARKER.exec(text)) {
    flush(m.index);
    const line = docLine + countNewlines(text, docStart, m.index);
    // `--- {kind: ...}` carries content on the marker line itself.
    const rest = (m[1] ?? "").trim();
    const inline = text.startsWith("---", m.index) && rest !== "" && !rest.startsWith("#");
    docStart = inline ? m.index + 3 : m.index + m[0].length + 1;
    if (!inline && text[docStart - 1] === "\r" && text[docStart] === "\n") docStart++;
    docLine = inline ? line : line + 1;
  }
  if (docStart < text.length) flush(text.length);
  return out;
}

/** Splits a multi-document YAML text and parses each document; `List` objects are flattened. */
export function parseManifests(text: string, file: string, { lenient = false } = {}): SourceObject[] {
  const out: SourceObject[] = [];
  for (const d of splitDocuments(text)) addDocument(d.text, file, d.line, out, lenient, d.chunkLine);
  return out;
}

/** kustomize's own files are build inputs, not cluster objects. */
const BUILD_ONLY_GROUP = /^kustomize\.config\.k8s\.io\//;

/**
 * js-yaml's default schema's implicit types, in its order: how load() reads a plain scalar. (Not in js-yaml's typed
 * API: should a later version drop the field, every document is read by load() alone.)
 */
const compiledImplicit = (DEFAULT_SCHEMA as unknown as { compiledImplicit?: unknown }).compiledImplicit;
const IMPLICIT_TYPES = Array.isArray(compiledImplicit) ? (compiledImplicit as Type[]) : undefined;
/** A plain scalar as load() reads it, for the simple reader (test/validate/simple-yaml.test.ts compares the two). */
export const jsYamlPlainScalar: PlainResolver = (s) => {
  for (const type of IMPLICIT_TYPES ?? []) if (type.resolve(s)) return { kind: "other", value: type.construct(s) };
  return { kind: "str" };
};

function addDocument(text: string, file: string, line: number, out: SourceObject[], lenient: boolean, chunkLine: number): void {
  let doc: unknown;
  try {
    // kustomize's block style is read by the simple reader (about a third of js-yaml's time), anything else by js-yaml
    doc = (IMPLICIT_TYPES ? readSimpleYaml(text, jsYamlPlainScalar) : undefined) ?? load(text, { filename: file });
  } catch (err) {
    const e = err as { reason?: string; mark?: { line?: number } };
    const at = line + (e.mark?.line ?? 0);
    throw new InputError(`invalid YAML: ${e.reason ?? (err as Error).message}`, { file: `${file}:${at}` });
  }
  if (doc === null || doc === undefined) return;
  if (!isRecord(doc) || typeof doc.kind !== "string" || typeof doc.apiVersion !== "string") {
    // Inside a directory, other YAML (settings, values) is skipped; a file named explicitly must be manifests.
    if (lenient) return;
    throw new InputError("not a Kubernetes object", { file: `${file}:${line}`, expected: "a mapping with apiVersion and kind" });
  }
  if (BUILD_ONLY_GROUP.test(doc.apiVersion)) return;
  addObject(doc as K8sObject, file, line, out, text, chunkLine);
}

/** A `List` (v1 List, or any *List with items) is flattened, nested Lists included. */
function addObject(doc: K8sObject, file: string, line: number, out: SourceObject[], text: string, chunkLine: number): void {
  const stack: { o: K8sObject; at: string[] }[] = [{ o: doc, at: [] }];
  while (stack.length > 0) {
    const { o, at } = stack.pop()!;
    if (typeof o.kind === "string" && o.kind.endsWith("List") && Array.isArray(o.items)) {
      const items = asArray(o.items);
      // Reversed onto the stack so items keep their order.
      for (let i = items.length - 1; i >= 0; i--) {
        const item = items[i];
        if (isRecord(item) && typeof item.kind === "string") stack.push({ o: item as K8sObject, at: [...at, "items", String(i)] });
      }
      continue;
    }
    const locate = lineLocator(text, chunkLine, at);
    out.push({ object: o, file, line: at.length > 0 ? (locate("") ?? line) : line, locate });
  }
}

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** Files under a directory, recursively, in a stable order. */
function manifestFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) manifestFiles(full, out);
    else if (MANIFEST_EXTENSIONS.has(path.extname(entry.name))) out.push(full);
  }
  return out;
}

export interface ReadOptions {
  /** A file inside a directory that cannot be read or is not Kubernetes manifests fails the run (default: skipped). */
  strict?: boolean;
  /** Told about each file skipped inside a directory, with the reason. */
  onSkip?: (file: string, reason: string) => void;
}

/** Appends without spread arguments (a spread of 100,000+ elements overflows the call stack). */
function append<T>(out: T[], items: readonly T[]): void {
  for (const item of items) out.push(item);
}

/**
 * Reads every path (`-` is stdin) into source objects. A file named explicitly that cannot be read or
 * parsed is an input error; inside a directory such a file is reported through onSkip and skipped
 * (kubeconform's behaviour), unless `strict`.
 */
export function readManifests(paths: readonly string[], readStdin: () => string = () => fs.readFileSync(0, "utf8"), options: ReadOptions = {}): SourceObject[] {
  const out: SourceObject[] = [];
  for (const p of paths) {
    if (p === "-") {
      append(out, parseManifests(readStdin(), "<stdin>"));
      continue;
    }
    let stat: Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new InputError("cannot read: no such file or directory", { file: p, expected: "a file, a folder of manifests, or - for stdin" });
    }
    const inDirectory = stat.isDirectory();
    for (const file of inDirectory ? manifestFiles(p) : [p]) {
      try {
        let text: string;
        try {
          text = fs.readFileSync(file, "utf8");
        } catch (err) {
          throw new InputError(`cannot read: ${fileErrorReason(err)}`, { file });
        }
        append(out, parseManifests(text, file));
      } catch (err) {
        if (!inDirectory || options.strict || !(err instanceof InputError)) throw err;
        options.onSkip?.(file, err.format().replace(`${file}: `, "").replace(`${file}:`, "line "));
      }
    }
  }
  return out;
}
