// The line of a field, found only when a finding needs it. Block-style YAML (what generators and kustomize
// write) is walked by indentation over the document's lines, which costs microseconds; anything else (flow
// collections, anchors, unusual keys) is parsed again with positions by the yaml library (LineCounter), which
// is exact but a hundred times slower. A missing field is reported where its deepest existing parent is.
import type { Node } from "yaml";
const { createRequire } = process.getBuiltinModule("node:module");

// The yaml library is loaded the first time the indentation walk is unsure.
let yamlLib: typeof import("yaml") | undefined;
const yaml = () => (yamlLib ??= createRequire(import.meta.url)("yaml") as typeof import("yaml"));

/** Decodes one RFC 6901 pointer segment. */
const unescape = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");

interface Line {
  indent: number;
  text: string;
}

const UNSURE = Symbol("unsure");

function lineInfo(raw: string): Line | undefined {
  const text = raw.replace(/\r$/, "");
  const indent = text.length - text.trimStart().length;
  const body = text.slice(indent);
  if (body === "" || body.startsWith("#")) return undefined;
  if (text.slice(0, indent).includes("\t")) return undefined;
  return { indent, text: body };
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'{[#&*!|>%@`-][^#]*?|-[^\s][^#]*?)\s*:(?:\s|$)/;

function keyOf(text: string): string | undefined | typeof UNSURE {
  if (text.startsWith("? ") || text.startsWith("&") || text.startsWith("*") || text.startsWith("<<")) return UNSURE;
  const m = KEY.exec(text);
  if (!m) return undefined;
  const k = m[1]!;
  if (k.startsWith('"')) {
    try {
      return JSON.parse(k) as string;
    } catch {
      return UNSURE;
    }
  }
  return k.startsWith("'") ? k.slice(1, -1).replace(/''/g, "'") : k;
}

/** A document's lines, each read (indentation and text; undefined for blank and comment lines) once, when first needed. */
interface DocumentLines {
  raw: readonly string[];
  info: (Line | undefined | null)[];
}

const documentLines = (chunk: string): DocumentLines => {
  const raw = chunk.split("\n");
  return { raw, info: new Array<Line | undefined | null>(raw.length).fill(null) };
};

/** 0-based line index of the field, by indentation; UNSURE when the YAML is not plain block style. */
function blockLine(doc: DocumentLines, segments: readonly string[]): number | typeof UNSURE {
  // A sequence item's dash line is read as its first entry's line: a change seen by this call only.
  const changed = new Map<number, Line | undefined>();
  const get = (i: number): Line | undefined => {
    if (changed.size > 0 && changed.has(i)) return changed.get(i);
    const known = doc.info[i];
    return known === null ? (doc.info[i] = lineInfo(doc.raw[i]!)) : known;
  };
  let start = 0;
  let end = doc.raw.length;
  let found = -1;
  for (let i = 0; i < end; i++) if (get(i)) { found = i; break; }
  if (found < 0) return UNSURE;
  for (const segment of segments) {
    let first = -1;
    for (let i = start; i < end; i++) if (get(i)) { first = i; break; }
    if (first < 0) break;
    const { indent, text } = get(first)!;
    if (text.startsWith("{") || text.startsWith("[")) return found;
    if (text === "-" || text.startsWith("- ")) {
      if (!/^\d+$/.test(segment)) break;
      let n = -1;
      let item = -1;
      for (let i = first; i < end; i++) {
        const l = get(i);
        if (!l || l.indent > indent) continue;
        if (l.indent < indent || !(l.text === "-" || l.text.startsWith("- "))) break;
        if (++n === Number(segment)) { item = i; break; }
      }
      if (item < 0) break;
      found = item;
      let next = item + 1;
      while (next < end) {
        const l = get(next);
        if (l && l.indent <= indent) break;
        next++;
      }
      // The item's first entry sits on the dash line: make it a line of its own, two columns in.
      const rest = get(item)!.text.slice(1).trimStart();
      const restIndent = get(item)!.indent + (get(item)!.text.length - rest.length);
      changed.set(item, rest === "" ? undefined : { indent: restIndent, text: rest });
      start = item;
      end = next;
      continue;
    }
    let hit = -1;
    for (let i = first; i < end; i++) {
      const l = get(i);
      if (!l || l.indent > indent) continue;
      if (l.indent < indent) break;
      const key = keyOf(l.text);
      if (key === UNSURE) return UNSURE;
      if (key === segment) { hit = i; break; }
    }
    if (hit < 0) break;
    found = hit;
    let next = hit + 1;
    while (next < end) {
      const l = get(next);
      // A compact sequence (`key:` then `- item` at the same indentation) belongs to the key.
      if (l && (l.indent < indent || (l.indent === indent && !(l.text === "-" || l.text.startsWith("- "))))) break;
      next++;
    }
    start = hit + 1;
    end = next;
  }
  return found;
}

/** The exact way: yaml's parser with a LineCounter. */
function yamlLine(chunk: string, segments: readonly string[]): number | undefined {
  return yamlLines(chunk)?.(segments);
}

/** yaml's parse of a chunk, once, as a function from segments to the 0-based line (undefined: no document). */
function yamlLines(chunk: string): ((segments: readonly string[]) => number) | undefined {
  const { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  let contents: Node | null;
  try {
    contents = parseDocument(chunk, { lineCounter: lines, uniqueKeys: false, strict: false }).contents as Node | null;
  } catch {
    return undefined;
  }
  if (!contents) return undefined;
  const root = contents;
  return (segments) => {
    let node: unknown = root;
    let line = lines.linePos((root.range ?? [0])[0]).line - 1;
    for (const segment of segments) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
        if (!pair) break;
        // The key's line: a nested value starts on the line after it.
        const key = pair.key as Node;
        if (key.range) line = lines.linePos(key.range[0]).line - 1;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)] as Node | undefined;
        if (!item) break;
        if (item.range) line = lines.linePos(item.range[0]).line - 1;
        node = item;
      } else break;
    }
    return line;
  };
}

/** A function from JSON pointer (inside the object) to the 1-based line in the file. */
export function lineLocator(chunk: string, chunkStartLine: number, prefix: readonly string[] = []): (pointer: string) => number | undefined {
  let lines: DocumentLines | undefined;
  return (pointer) => {
    const segments = [...prefix, ...(pointer === "" ? [] : pointer.slice(1).split("/").map(unescape))];
    lines ??= documentLines(chunk);
    const fast = blockLine(lines, segments);
    const index = fast === UNSURE ? yamlLine(chunk, segments) : fast;
    return index === undefined ? undefined : chunkStartLine + index;
  };
}

/** For tests: both ways, so they can be compared on the same input (each way reads the chunk once for every pointer). */
export const locateBothWays = (chunk: string): ((pointer: string) => { fast: number | undefined; exact: number }) => {
  const lines = documentLines(chunk);
  const exact = yamlLines(chunk);
  return (pointer) => {
    const segments = pointer === "" ? [] : pointer.slice(1).split("/").map(unescape);
    const fast = blockLine(lines, segments);
    return { fast: fast === UNSURE ? undefined : fast + 1, exact: (exact?.(segments) ?? -1) + 1 };
  };
};
