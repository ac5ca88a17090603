// Reading manifests: YAML (or JSON) files, directories and stdin, split into documents with the
// line each object starts on. Documents are split on `---` lines and parsed one by one with js-yaml,
// which is several times faster than a full CST parse and is all the SARIF location needs.
import fs from "node:fs";
import path from "node:path";
import { load } from "js-yaml";
import { InputError } from "../scripts/lib/cli.ts";
import { asArray, isRecord } from "./helpers.ts";
import type { K8sObject, SourceObject } from "./types.ts";

/** A document marker line: `---` (possibly followed by content) or `...`. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r]|$)(.*)$/gm;
/** The first line of a document that is neither blank, a comment nor a directive. */
const CONTENT_LINE = /^[ \t]*[^\s#%]/m;

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Splits a multi-document YAML text and parses each document; `List` objects are flattened. */
export function parseManifests(text: string, file: string, { lenient = false } = {}): SourceObject[] {
  const out: SourceObject[] = [];
  let docStart = 0;
  let docLine = 1;
  const flush = (end: number) => {
    const chunk = text.slice(docStart, end);
    const content = CONTENT_LINE.exec(chunk);
    if (content) addDocument(chunk, file, docLine + countNewlines(chunk, 0, content.index), out, lenient);
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

/** kustomize's own files are build inputs, not cluster objects. */
const BUILD_ONLY_GROUP = /^kustomize\.config\.k8s\.io\//;

function addDocument(text: string, file: string, line: number, out: SourceObject[], lenient: boolean): void {
  let doc: unknown;
  try {
    doc = load(text, { filename: file });
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
  if (doc.kind.endsWith("List") && Array.isArray(doc.items)) {
    for (const item of asArray(doc.items)) {
      if (isRecord(item) && typeof item.kind === "string") out.push({ object: item as K8sObject, file, line });
    }
    return;
  }
  out.push({ object: doc as K8sObject, file, line });
}

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** Files under a directory, recursively, in a stable order. */
function manifestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...manifestFiles(full));
    else if (MANIFEST_EXTENSIONS.has(path.extname(entry.name))) out.push(full);
  }
  return out;
}

/** Reads every path (`-` is stdin) into source objects; an unreadable path is an InputError. */
export function readManifests(paths: readonly string[], readStdin: () => string = () => fs.readFileSync(0, "utf8")): SourceObject[] {
  const out: SourceObject[] = [];
  for (const p of paths) {
    if (p === "-") {
      out.push(...parseManifests(readStdin(), "<stdin>"));
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new InputError("cannot read: no such file or directory", { file: p });
    }
    const lenient = stat.isDirectory();
    const files = lenient ? manifestFiles(p) : [p];
    for (const file of files) {
      let text: string;
      try {
        text = fs.readFileSync(file, "utf8");
      } catch (err) {
        throw new InputError(`cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file });
      }
      out.push(...parseManifests(text, file, { lenient }));
    }
  }
  return out;
}
