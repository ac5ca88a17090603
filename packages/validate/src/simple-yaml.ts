// The block-style YAML that kustomize and kubectl write, read without js-yaml: a document that is a block mapping of
// plain or quoted one-line keys; values are plain and quoted scalars (wrapped onto deeper lines, as kustomize wraps
// long strings: folded), literal block scalars (`|`, `|-`), `{}`, `[]`, block mappings and sequences; printable
// ASCII only. js-yaml is general and its first documents run as cold code; this reader takes a rendered overlay's
// documents in about a third of the time. Anything else (anchors, tags, flow collections, comments outside block
// scalars, folded or kept block scalars, escapes, blank lines inside a wrapped scalar, duplicate, null or non-string
// keys, merge keys, NaN or infinities, tabs, CRs, non-ASCII) returns undefined, and decode.ts reads the document in
// full: what is read here is where go-yaml and the full reading agree, and agree with this one
// (test/validate/simple-yaml.test.ts compares the two readings on rendered overlays, kubeconform's fixtures, the
// mutation corpus and edits of rendered documents). Plain scalars resolve through the caller's resolver: decode.ts's
// goResolve (go-yaml v2) for validate, js-yaml's default schema for the policy engine.

/**
 * What a plain scalar is: a string, or another value. Passed in, so that this file imports nothing and serves both
 * readings: go-yaml v2's (decode.ts's goResolve) and js-yaml's default schema (the policy engine's input.ts).
 */
export type PlainResolver = (s: string) => { kind: "str" } | { kind: "null" | "bool" | "int" | "float" | "other"; value: unknown };

/** A character outside printable ASCII and the line feed. */
const NOT_PRINTABLE_ASCII = /[^\n\x20-\x7e]/;
/** go-yaml forgets a possible simple key 1,024 characters on (scannerc.go:828); keys this long are left to the full reading. */
const MAX_KEY = 1000;
const MAX_DEPTH = 1000;

class NotSimple extends Error {}
const NOT_SIMPLE = new NotSimple();

/** The document's value, or undefined when it is not in the subset. */
export function readSimpleYaml(text: string, resolve: PlainResolver): Record<string, unknown> | undefined {
  if (NOT_PRINTABLE_ASCII.test(text)) return undefined;
  const lines = text.split("\n");
  let start = 0;
  if (lines[0] === "---") start = 1;
  try {
    const reader = new Reader(lines, start, resolve);
    const first = reader.nextContent();
    if (first >= lines.length || indentOf(lines[first]!) !== 0) return undefined;
    const value = reader.mapping(0, 0);
    if (reader.nextContent() < lines.length) return undefined;
    return value;
  } catch (err) {
    if (err === NOT_SIMPLE || err instanceof RangeError) return undefined;
    throw err;
  }
}

/** A block sequence's `-` at `at` (followed by a blank or the line's end). */
function isDash(line: string, at: number): boolean {
  return line.charCodeAt(at) === 0x2d && (at + 1 === line.length || line.charCodeAt(at + 1) === 0x20);
}

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 0x20) i++;
  return i;
}

/** `-?:,[]{}#&*!|>'"%@` and backtick: a plain scalar or key starting with one is left to the full reading. */
function isIndicator(c: number): boolean {
  switch (c) {
    case 0x2d: case 0x3f: case 0x3a: case 0x2c: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x23:
    case 0x26: case 0x2a: case 0x21: case 0x7c: case 0x3e: case 0x27: case 0x22: case 0x25: case 0x40: case 0x60:
      return true;
    default:
      return false;
  }
}

class Reader {
  private pos: number;
  private readonly lines: string[];
  /** Each line's indentation once it has been asked for (-1: not yet): a line is looked at several times. */
  private readonly indents: Int32Array;
  private readonly resolve: PlainResolver;

  constructor(lines: string[], start: number, resolve: PlainResolver) {
    this.lines = lines;
    this.indents = new Int32Array(lines.length).fill(-1);
    this.pos = start;
    this.resolve = resolve;
  }

  private indentAt(i: number): number {
    let ind = this.indents[i]!;
    if (ind < 0) this.indents[i] = ind = indentOf(this.lines[i]!);
    return ind;
  }

  /** The next line with content (blank lines skipped; a comment line is not simple), without moving on. */
  nextContent(): number {
    const lines = this.lines;
    let i = this.pos;
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      const ind = this.indentAt(i);
      if (ind === line.length) continue;
      if (line.charCodeAt(ind) === 0x23) throw NOT_SIMPLE;
      break;
    }
    this.pos = i;
    return i;
  }

  /** A block mapping whose keys are at column `indent`; its first key on line `pos`, from column `indent`. */
  mapping(indent: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) throw NOT_SIMPLE;
    const out: Record<string, unknown> = {};
    for (let i = this.nextAt(indent); i >= 0; i = this.nextAt(indent)) {
      const line = this.lines[i]!;
      if (isDash(line, indent)) break; // a sequence at the keys' column: the caller's
      const [key, after] = this.key(line, indent);
      if (Object.hasOwn(out, key) || key === "__proto__" || key === "<<") throw NOT_SIMPLE;
      this.pos = i + 1;
      out[key] = this.valueAfter(line, after, indent, depth);
    }
    return out;
  }

  /** The next line with content if it is at column `indent`; -1 when the text ends or goes back out (deeper: not simple). */
  private nextAt(indent: number): number {
    const i = this.nextContent();
    if (i >= this.lines.length) return -1;
    const ind = this.indentAt(i);
    if (ind > indent) throw NOT_SIMPLE;
    return ind < indent ? -1 : i;
  }

  /** A key at `from` (plain, or quoted on its line) and the column after its `:`. */
  private key(line: string, from: number): [string, number] {
    const c = line.charCodeAt(from);
    let key: string;
    let colon: number;
    if (c === 0x22 || c === 0x27) {
      const [text, close] = c === 0x22 ? doubleQuotedPart(line, from + 1) : singleQuotedPart(line, from + 1);
      if (close < 0 || line.charCodeAt(close + 1) !== 0x3a) throw NOT_SIMPLE;
      key = text;
      colon = close + 1;
    } else {
      if (isIndicator(c)) throw NOT_SIMPLE;
      colon = line.indexOf(":", from);
      while (colon >= 0 && colon + 1 < line.length && line.charCodeAt(colon + 1) !== 0x20) colon = line.indexOf(":", colon + 1);
      if (colon < 0) throw NOT_SIMPLE;
      key = line.slice(from, colon);
      if (key.charCodeAt(key.length - 1) === 0x20 || key.includes(" #") || this.resolve(key).kind !== "str") throw NOT_SIMPLE;
    }
    if (colon - from > MAX_KEY) throw NOT_SIMPLE;
    const after = colon + 1;
    if (after < line.length && line.charCodeAt(after) !== 0x20) throw NOT_SIMPLE;
    return [key, after];
  }

  /** The value of a key at column `indent` whose `:` ends at `after` on `line` (the reader is on the next line). */
  private valueAfter(line: string, after: number, indent: number, depth: number): unknown {
    let from = after;
    while (line.charCodeAt(from) === 0x20) from++;
    if (from < line.length) return this.inline(line, from, indent);
    const i = this.nextContent();
    if (i >= this.lines.length) return null;
    const next = this.lines[i]!;
    const ind = this.indentAt(i);
    if (isDash(next, ind) && ind >= indent) return this.sequence(ind, depth + 1);
    if (ind > indent) return this.mapping(ind, depth + 1);
    return null;
  }

  /** A block sequence whose dashes are at column `indent`. */
  private sequence(indent: number, depth: number): unknown[] {
    if (depth > MAX_DEPTH) throw NOT_SIMPLE;
    const out: unknown[] = [];
    for (let i = this.nextAt(indent); i >= 0; i = this.nextAt(indent)) {
      const line = this.lines[i]!;
      if (line.charCodeAt(indent) !== 0x2d) break; // the parent mapping's next key (a sequence at its keys' column)
      if (line.charCodeAt(indent + 1) !== 0x20) throw NOT_SIMPLE;
      let from = indent + 2;
      while (line.charCodeAt(from) === 0x20) from++;
      // (`-` alone, its node on the lines below, and `- - x` are left to the full reading)
      if (from >= line.length || isDash(line, from)) throw NOT_SIMPLE;
      if (this.startsKey(line, from)) {
        // `- key: value`: a mapping whose keys are at the first key's column
        this.lines[i] = " ".repeat(from) + line.slice(from);
        this.indents[i] = from;
        this.pos = i;
        out.push(this.mapping(from, depth + 1));
      } else {
        this.pos = i + 1;
        out.push(this.inline(line, from, indent));
      }
    }
    return out;
  }

  /** Whether a mapping key starts at `from` (a `:` ends it before the line does, outside quotes). */
  private startsKey(line: string, from: number): boolean {
    const c = line.charCodeAt(from);
    if (c === 0x22 || c === 0x27) {
      const [, close] = c === 0x22 ? doubleQuotedPart(line, from + 1) : singleQuotedPart(line, from + 1);
      return close >= 0 && line.charCodeAt(close + 1) === 0x3a;
    }
    for (let colon = line.indexOf(":", from); colon >= 0; colon = line.indexOf(":", colon + 1)) {
      if (colon + 1 === line.length || line.charCodeAt(colon + 1) === 0x20) return true;
    }
    return false;
  }

  /**
   * A scalar, `{}` or `[]` from `from` on `line` (the reader is on the line after it), the value of a node whose key
   * or dash is at column `parent`. A plain or quoted scalar may go on over lines deeper than `parent` (kustomize
   * wraps long strings so); they fold into one line, each break a space.
   */
  private inline(line: string, from: number, parent: number): unknown {
    const c = line.charCodeAt(from);
    if (c === 0x7c) return this.literal(line, from, parent);
    let value: unknown;
    if (c === 0x22 || c === 0x27) {
      const [text, rest] = this.quotedValue(line, from, parent);
      for (let i = 0; i < rest.length; i++) if (rest.charCodeAt(i) !== 0x20) throw NOT_SIMPLE;
      value = text;
    } else {
      const first = plainPart(line, from);
      if (first === "{}") value = {};
      else if (first === "[]") value = [];
      else {
        if (isIndicator(c) && !(c === 0x2d && first.length > 1 && first.charCodeAt(1) !== 0x20)) throw NOT_SIMPLE;
        const folded = this.plainContinued(first, parent);
        const r = this.resolve(folded);
        if (r.kind === "str") value = folded;
        else if (folded !== first || (typeof r.value === "number" && !Number.isFinite(r.value))) throw NOT_SIMPLE;
        else value = r.value;
      }
    }
    return value; // (a deeper line after it is not simple: the mapping or sequence reading on sees it)
  }

  /** A plain scalar's first line `first` and the lines deeper than `parent` that go on with it, folded. */
  private plainContinued(first: string, parent: number): string {
    let folded = first;
    const lines = this.lines;
    for (let j = this.pos; j < lines.length; j++) {
      const l = lines[j]!;
      const ind = this.indentAt(j);
      // (a blank line inside would be a line break, and is left to the full reading: the check after the scalar)
      if (ind === l.length || ind <= parent) break;
      // (a `#` there starts a comment; `- `, `? ` and `: ` are left to the full reading; any other character is text)
      const c = l.charCodeAt(ind);
      if (c === 0x23 || ((c === 0x2d || c === 0x3f || c === 0x3a) && (ind + 1 === l.length || l.charCodeAt(ind + 1) === 0x20))) throw NOT_SIMPLE;
      folded += " " + plainPart(l, ind);
      this.pos = j + 1;
    }
    return folded;
  }

  /**
   * A quoted scalar opening at `from` on `line`, closing on it or on a later line deeper than `parent` (no blank line
   * between): its text, and what follows the closing quote on its line. The reader moves past the lines it used.
   */
  private quotedValue(line: string, from: number, parent: number): [string, string] {
    const q = line.charCodeAt(from);
    let text = "";
    let l = line;
    let at = from + 1;
    for (;;) {
      const [part, close] = q === 0x22 ? doubleQuotedPart(l, at) : singleQuotedPart(l, at);
      if (close >= 0) return [text + part, l.slice(close + 1)];
      // a line break: the line's trailing blanks and the next line's indentation fold into one space
      text += trimEndSpaces(part) + " ";
      const next = this.lines[this.pos];
      if (next === undefined) throw NOT_SIMPLE;
      const ind = this.indentAt(this.pos);
      // (go-yaml takes a shallower line too, with the same folding; left to the full reading all the same)
      if (ind === next.length || ind <= parent) throw NOT_SIMPLE;
      this.pos++;
      l = next;
      at = ind;
    }
  }

  /** A literal block scalar (`|` or `|-`) whose header is at `from`; content is deeper than column `parent`. */
  private literal(line: string, from: number, parent: number): string {
    const header = line.slice(from).trimEnd();
    if (header !== "|" && header !== "|-") throw NOT_SIMPLE;
    const lines = this.lines;
    const content: string[] = [];
    let indent = -1;
    let i = this.pos;
    let lastContent = -1;
    let lastLine = -1;
    for (; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.length === 0) {
        content.push("");
        continue;
      }
      const ind = this.indentAt(i);
      if (ind === l.length) throw NOT_SIMPLE; // a line of spaces: content or not depends on the indentation
      if (indent < 0) {
        if (ind <= parent) break;
        indent = ind;
      } else if (ind < indent) break;
      content.push(l.slice(indent));
      lastContent = content.length;
      lastLine = i;
    }
    // (no content, or content on the text's last line with no line break after it: left to the full reading)
    if (lastContent < 0 || lastLine === lines.length - 1) throw NOT_SIMPLE;
    this.pos = i;
    const text = content.slice(0, lastContent).join("\n");
    return header === "|" ? text + "\n" : text;
  }
}

/** A plain scalar's part of a line from `from`: to its end, trailing blanks dropped (a `: ` or ` #` in it is not simple). */
function plainPart(line: string, from: number): string {
  const text = trimEndSpaces(line.slice(from));
  if (text.includes(": ") || text.includes(" #") || text.charCodeAt(text.length - 1) === 0x3a) throw NOT_SIMPLE;
  return text;
}

function trimEndSpaces(s: string): string {
  let end = s.length;
  while (s.charCodeAt(end - 1) === 0x20) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** A double-quoted scalar's text on `line` from `at`, and its closing quote's column (-1: it goes on). No escapes. */
function doubleQuotedPart(line: string, at: number): [string, number] {
  const close = line.indexOf('"', at);
  const text = close < 0 ? line.slice(at) : line.slice(at, close);
  if (text.includes("\\")) throw NOT_SIMPLE;
  return [text, close];
}

/** A single-quoted scalar's text on `line` from `at` (`''` is a quote), and its closing quote's column (-1: it goes on). */
function singleQuotedPart(line: string, at: number): [string, number] {
  let text = "";
  for (;;) {
    const close = line.indexOf("'", at);
    if (close < 0) return [text + line.slice(at), -1];
    text += line.slice(at, close);
    if (line.charCodeAt(close + 1) !== 0x27) return [text, close];
    text += "'";
    at = close + 2;
  }
}
