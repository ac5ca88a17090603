// Decoding one YAML document as kubectl and kubeconform do (sigs.k8s.io/yaml over go-yaml v2):
// YAML 1.1 scalars, merge keys, strict mode rejecting duplicate keys. js-yaml is used because it
// parses 5-10x faster than the `yaml` package; its schema is extended to go-yaml v2's.
import yaml from "js-yaml";

import { goYamlFirstDocument, goYamlSyntaxError } from "./goyaml-syntax.ts";
import { readSimpleYaml } from "./simple-yaml.ts";
const { createRequire } = process.getBuiltinModule("node:module");

// --- plain scalars: go-yaml v2's resolve() --------------------------------------------------------

type Resolved = { kind: "null"; value: null } | { kind: "bool"; value: boolean } | { kind: "int" | "float"; value: number } | { kind: "str" };

const BOOLEANS = new Map<string, boolean>();
for (const w of ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]) BOOLEANS.set(w, true);
for (const w of ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]) BOOLEANS.set(w, false);
const SPECIAL_FLOATS = new Map<string, number>();
for (const w of [".nan", ".NaN", ".NAN"]) SPECIAL_FLOATS.set(w, NaN);
for (const w of [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]) SPECIAL_FLOATS.set(w, Infinity);
for (const w of ["-.inf", "-.Inf", "-.INF"]) SPECIAL_FLOATS.set(w, -Infinity);
const NULLS = new Set(["", "~", "null", "Null", "NULL"]);

// Cheap first looks (length, first character) before the set lookups: most scalars are neither.
function isNull(s: string): boolean {
  if (s.length > 4) return false;
  const c = s.charCodeAt(0);
  return (s.length === 0 || c === 0x7e || c === 0x6e || c === 0x4e) && NULLS.has(s);
}
function boolOf(s: string): boolean | undefined {
  if (s.length > 5) return undefined;
  switch (s.charCodeAt(0)) {
    case 0x79: case 0x59: case 0x6e: case 0x4e: case 0x74: case 0x54: case 0x66: case 0x46: case 0x6f: case 0x4f: // yYnNtTfFoO
      return BOOLEANS.get(s);
    default:
      return undefined;
  }
}
/** go-yaml v2's yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
// Timestamps that go-yaml recognises stay strings when decoded into interface{} (its compatibility rule).
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?$/;

/** strconv.ParseInt(s, 0, 64) then ParseUint, as go-yaml v2 tries them (underscores already removed). */
function goInteger(plain: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(plain);
  if (!m) return undefined;
  const body = m[2]!;
  let big: bigint;
  if (/^0[xXoObB]/.test(body)) big = BigInt(body.slice(0, 2).toLowerCase() + body.slice(2));
  else if (body.length > 1 && body[0] === "0") big = BigInt("0o" + body.slice(1));
  else big = BigInt(body);
  if (m[1] === "-") big = -big;
  if (big < -(2n ** 63n) || big > 2n ** 64n - 1n) return undefined;
  return Number(big);
}

export function goResolve(s: string): Resolved {
  if (isNull(s)) return { kind: "null", value: null };
  const c = s.charCodeAt(0);
  // go-yaml's resolveTable: only these first characters can be anything but a string
  if (c === 0x2e /* . */) {
    const special = SPECIAL_FLOATS.get(s);
    if (special !== undefined) return { kind: "float", value: special };
    const f = goFloat(s);
    return f === undefined ? { kind: "str" } : { kind: "float", value: f };
  }
  if (c === 0x2b || c === 0x2d || (c >= 0x30 && c <= 0x39)) {
    const special = SPECIAL_FLOATS.get(s);
    if (special !== undefined) return { kind: "float", value: special };
    if (TIMESTAMP.test(s)) return { kind: "str" };
    const plain = s.includes("_") ? s.replace(/_/g, "") : s;
    const i = goInteger(plain);
    if (i !== undefined) return { kind: "int", value: i };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = goFloat(plain);
      if (f !== undefined) return { kind: "float", value: f };
    }
    const binary = /^(-?)0b([01]+)$/.exec(plain);
    if (binary) return { kind: "int", value: (binary[1] ? -1 : 1) * parseInt(binary[2]!, 2) };
    return { kind: "str" };
  }
  const b = boolOf(s);
  if (b !== undefined) return { kind: "bool", value: b };
  return { kind: "str" };
}

/** strconv.ParseFloat for the decimal forms go-yaml lets through; out of range is an error (undefined). */
function goFloat(s: string): number | undefined {
  if (!/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return undefined;
  const f = Number(s);
  return Number.isFinite(f) ? f : undefined;
}

// --- the js-yaml schema ---------------------------------------------------------------------------

/** Set while loading when a value needs the checks after it (nulls as keys, NaN and infinities). */
let needsChecks = false;
/** Stands for null while loading, so that a null key is seen (js-yaml turns keys into strings). */
const NULL_KEY = "\u0000go-yaml-null\u0000";
// A boxed string: js-yaml keeps it as a value and stringifies it as a key.
const NULL_VALUE = Object(NULL_KEY) as object;
let trackNulls = false;
/** While tracking nulls, "null" unless the document has a quoted 'null': the key js-yaml makes of an empty node (`? `, `&a :`). */
let emptyKey: string | undefined;

const nullType = new yaml.Type("tag:yaml.org,2002:null", {
  kind: "scalar",
  resolve: (data: string | null) => data === null || isNull(data),
  construct: () => {
    if (!trackNulls) return null;
    needsChecks = true;
    return NULL_VALUE;
  },
  predicate: (v: unknown) => v === null,
});
const boolType = new yaml.Type("tag:yaml.org,2002:bool", {
  kind: "scalar",
  resolve: (data: string) => boolOf(data) !== undefined,
  construct: (data: string) => boolOf(data),
});
/** js-yaml asks each implicit type in turn, then constructs: resolve a scalar once. */
let lastScalar: string | undefined;
let lastResolved: Resolved = { kind: "str" };
function resolved(data: string): Resolved {
  if (data !== lastScalar) {
    lastScalar = data;
    lastResolved = goResolve(data);
  }
  return lastResolved;
}
/** Only these first characters can start a number (go-yaml's resolveTable). */
function mayBeNumber(data: string): boolean {
  const c = data.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}
const intType = new yaml.Type("tag:yaml.org,2002:int", {
  kind: "scalar",
  resolve: (data: string) => mayBeNumber(data) && resolved(data).kind === "int",
  construct: (data: string) => (resolved(data) as { value: number }).value,
});
const floatType = new yaml.Type("tag:yaml.org,2002:float", {
  kind: "scalar",
  // explicit !!float also takes an integer, as go-yaml does
  resolve: (data: string) => {
    if (!mayBeNumber(data)) return false;
    const kind = resolved(data).kind;
    return kind === "float" || kind === "int";
  },
  construct: (data: string) => {
    const r = resolved(data);
    const value = (r as { value: number }).value;
    // js-yaml writes a float key as String(value); sigs.k8s.io/yaml as go-yaml marshals a float32 (yaml.go:230)
    if (!Number.isFinite(value) || (r.kind === "float" && goFloatKey(value) !== String(value))) return boxedFloat(value);
    return value;
  },
});

/** Starts the key js-yaml makes of a boxed float: Go's spelling follows. */
const FLOAT_KEY = "\u0000go-yaml-float\u0000";
/**
 * A float whose key Go spells unlike JavaScript (or NaN, ±Inf), boxed while loading so that only a key read from a
 * float is respelled (a quoted "10000000000" stays as written; `1e10` is 1e+10). As a key js-yaml calls its
 * toString; as a value checkDecoded unboxes it. A function, not an object: js-yaml refuses to merge it, as go-yaml.
 */
function boxedFloat(value: number): () => number {
  needsChecks = true;
  const box = () => value;
  box.toString = () => FLOAT_KEY + goFloatKey(value);
  return box;
}
/** !!timestamp: decoded into interface{} and back to JSON, the text itself. */
const timestampType = new yaml.Type("tag:yaml.org,2002:timestamp", { kind: "scalar", resolve: () => true, construct: (data: string | null) => data ?? "" });
/** !!binary: the decoded bytes as a string. */
const binaryType = new yaml.Type("tag:yaml.org,2002:binary", {
  kind: "scalar",
  resolve: (data: string | null) => data === null || /^[A-Za-z0-9+/=\s]*$/.test(data),
  construct: (data: string | null) => Buffer.from((data ?? "").replace(/\s/g, ""), "base64").toString("utf8"),
});
// Local and non-specific tags (`!foo`, `!`, `!<tag:x>`): go-yaml keeps the node as written, a scalar as a string.
const localTags = (["scalar", "sequence", "mapping"] as const).flatMap((kind) =>
  ["!", "tag:"].map(
    (prefix) =>
      new yaml.Type(prefix, {
        kind,
        multi: true,
        resolve: () => true,
        construct: (data: unknown, tag?: string) => {
          if (tag === "tag:yaml.org,2002:") throw new yaml.YAMLException("did not find expected tag URI");
          return kind === "scalar" ? (data ?? "") : (data ?? (kind === "sequence" ? [] : {}));
        },
      }),
  ),
);

// js-yaml exports its built-in types at runtime; @types/js-yaml does not declare them.
const builtin = (yaml as unknown as { types: Record<string, yaml.Type> }).types;
/** go-yaml v2's resolution: YAML 1.1 booleans and numbers, merge keys, timestamps as strings. */
const KUBE_YAML_SCHEMA = new yaml.Schema({
  implicit: [nullType, boolType, intType, floatType, builtin.merge!],
  explicit: [builtin.str!, builtin.seq!, builtin.map!, timestampType, binaryType, ...localTags],
});

export type ParseOutcome = { ok: true; value: unknown } | { ok: false; reason: string; line?: number };

/** What sigs.k8s.io/yaml refuses after go-yaml has read the document, in the order it finds it. */
class ConversionError extends Error {}

/** strconv.FormatFloat(f, 'g', -1, 32) as sigs.k8s.io/yaml spells float keys (with .inf, -.inf, .nan). */
export function goFloatKey(f: number): string {
  const f32 = Math.fround(f);
  if (Number.isNaN(f32)) return ".nan";
  if (!Number.isFinite(f32)) return f32 > 0 ? ".inf" : "-.inf";
  if (f32 === 0) return Object.is(f32, -0) ? "-0" : "0";
  let shortest = "";
  for (let p = 1; p <= 9; p++) {
    shortest = f32.toPrecision(p);
    if (Math.fround(Number(shortest)) === f32) break;
  }
  const [mantissa, e] = Number(shortest).toExponential().split("e") as [string, string];
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace(/^-/, "").replace(".", "");
  const exp = Number(e);
  let out: string;
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  } else if (exp < 0) out = `0.${"0".repeat(-exp - 1)}${digits}`;
  else out = digits.length > exp + 1 ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}` : digits + "0".repeat(exp + 1 - digits.length);
  return negative ? `-${out}` : out;
}

/** Replaces the null stand-ins, refusing null keys (sigs.k8s.io/yaml) and then NaN and infinities (encoding/json). */
function checkDecoded(value: unknown): unknown {
  let badNumber: string | undefined;
  const walk = (node: unknown): unknown => {
    if (node === NULL_VALUE) return null;
    if (typeof node === "function") {
      const f = (node as () => number)();
      if (!Number.isFinite(f)) badNumber ??= Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf";
      return f;
    }
    if (node === null || typeof node !== "object") return node;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) node[i] = walk(node[i]);
      return node;
    }
    const record = node as Record<string, unknown>;
    let renamed = false;
    for (const key of Object.keys(record)) {
      const v = walk(record[key]);
      if (key === NULL_KEY || key === emptyKey) throw new ConversionError(`unsupported map key of type: %!s(<nil>), key: <nil>, value: ${goValue(v)}`);
      record[key] = v;
      if (key.startsWith(FLOAT_KEY)) renamed = true;
    }
    if (renamed) {
      // keep the order of the keys, with float keys spelled as Go spells them
      const entries = Object.entries(record).map(([k, v]) => [k.startsWith(FLOAT_KEY) ? k.slice(FLOAT_KEY.length) : k, v] as const);
      for (const k of Object.keys(record)) delete record[k];
      for (const [k, v] of entries) record[k] = v;
    }
    return record;
  };
  const out = walk(value);
  if (badNumber) throw new ConversionError(`json: unsupported value: ${badNumber}`);
  return out;
}

/** Go's %#v for what a YAML value can be: map keys sorted (as fmt prints maps), nested nils as interface {}(nil). */
function goValue(v: unknown, nested = false): string {
  if (v === null || v === undefined) return nested ? "interface {}(nil)" : "<nil>";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goValue(x, true)).join(", ")}}`;
  if (typeof v === "object") {
    const entries = Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[interface {}]interface {}{${entries.map(([k, x]) => `${JSON.stringify(k)}:${goValue(x, true)}`).join(", ")}}`;
  }
  return String(v);
}

/**
 * Parses one document; in strict mode a duplicate key is an error, otherwise the last one wins. The block-style
 * subset kustomize writes is read by simple-yaml.ts; the rest by parseAnyDocument.
 */
export function parseDocument(text: string, strict: boolean): ParseOutcome {
  const simple = readSimpleYaml(text, goResolve);
  return simple !== undefined ? { ok: true, value: simple } : parseAnyDocument(text, strict);
}

/** Parses one document with js-yaml and go-yaml's differences from it (any YAML; simple-yaml.test.ts compares). */
export function parseAnyDocument(text: string, strict: boolean): ParseOutcome {
  // go-yaml (YAML 1.1) breaks lines at NEL, LS and PS too
  let source = hasYaml11LineBreak(text) ? text.replace(/[\u0085\u2028\u2029]/g, "\n") : text;
  // js-yaml drops a standard tag written at the end of its line (`!!str` then `false` below it); go-yaml keeps it
  if (source.includes("!!") && TAG_AT_LINE_END.test(source)) {
    // (only where the scalar is indented deeper than the tag's line: else go-yaml's error stays js-yaml's too)
    source = source.replace(TAG_AT_LINE_END, (all, indent: string, before: string, tag: string, below: string) => (below.length > indent.length ? `${indent}${before}${tag} ` : all));
  }
  if (source.includes("\\/") || source.includes("\\'")) {
    const escapes = goEscapes(source);
    if ("error" in escapes) {
      const reading = goYamlFirstDocument(text);
      if (reading.error !== undefined) return { ok: false, reason: reading.error };
      // (the escape is after go-yaml's first document, which ends at a `--- {}`: read that part alone)
      if (reading.end < yamlTrimmedLength(text) && /\S/.test(text.slice(0, reading.end))) return parseDocument(text.slice(0, reading.end), strict);
      return { ok: false, reason: escapes.error };
    }
    source = escapes.text;
  }
  // go-yaml ends an anchor or alias name at `?:%@\`` where js-yaml reads on (`&name: v` is a null key with an anchor,
  // scannerc.go:1809): the port finds where, and a blank there makes js-yaml read it so
  let joined = false;
  if ((source.includes("&") || source.includes("*")) && JOINED_ANCHOR.test(source) && JOINED_ANCHOR_AT_NODE.test(source)) {
    const reading = goYamlFirstDocument(source);
    if (reading.error !== undefined) return { ok: false, reason: goYamlSyntaxError(text) ?? reading.error };
    for (const at of reading.joined.reverse()) source = `${source.slice(0, at)} ${source.slice(at)}`;
    joined = reading.joined.length > 0;
  }
  try {
    const collectionKey = mayHaveCollectionKey(source) ? findCollectionKey(source) : undefined;
    // (go-yaml reads the whole document before it decodes: a syntax error comes first)
    if (collectionKey) return { ok: false, reason: goYamlSyntaxError(text) ?? collectionKey };
    needsChecks = false;
    trackNulls = joined || NULL_KEY_HINT.test(source) || (source.includes("?") && EMPTY_COMPLEX_KEY.test(source)) || (source.includes("&") && EMPTY_ANCHORED_KEY.test(source));
    emptyKey = trackNulls && !QUOTED_NULL.test(source) ? "null" : undefined;
    if (emptyKey) needsChecks = true;
    let value = loadFirst(source, strict);
    const flowError = source.includes("?") && (source.includes("{") || source.includes("[")) ? flowQuestionMark(source) : undefined;
    // (the port decides: this look can be wrong, a '?' in a quoted string of a one-line JSON document)
    const flowSyntax = flowError ? goYamlSyntaxError(text) : undefined;
    if (flowSyntax !== undefined) return { ok: false, reason: flowSyntax };
    // go-yaml forgets a possible simple key 1,024 characters on (scannerc.go:828): a longer key is its
    // syntax error, which js-yaml accepts
    if (mayHaveLongKey(source) || goYamlStricter(source)) {
      const syntax = goYamlSyntaxError(text);
      if (syntax !== undefined) return { ok: false, reason: syntax };
    }
    if (needsChecks) value = checkDecoded(value);
    const aliasing = excessiveAliasing(source, value);
    if (aliasing) return { ok: false, reason: `yaml: ${aliasing}` };
    return { ok: true, value };
  } catch (err) {
    if (err instanceof ConversionError) return { ok: false, reason: err.message };
    if (err instanceof yaml.YAMLException) {
      const line = err.mark ? err.mark.line + 1 : undefined;
      // go-yaml reads the whole document before it decodes: its first syntax error comes before any
      // duplicate key, worded and numbered as go-yaml's scanner and parser do (goyaml-syntax.ts)
      const reading = goYamlFirstDocument(text);
      if (reading.error !== undefined) return { ok: false, reason: reading.error, line };
      // a plain scalar in a flow collection going on to later lines: go-yaml folds it, js-yaml cannot ("missed comma");
      // double-quoted, the same text folds alike (a string: it holds a blank) on the same lines
      if (reading.flowPlain.length > 0) {
        let quoted = text;
        for (const [a, b] of reading.flowPlain.reverse()) quoted = `${quoted.slice(0, a)}"${quoted.slice(a, b).replace(/[\\"]/g, "\\$&")}"${quoted.slice(b)}`;
        return parseDocument(quoted, strict);
      }
      // a document of only a block scalar's header (`--- |`, then text at column 0): go-yaml indents block scalar
      // content at least 1 (scannerc.go:2306), so the scalar is empty (its line breaks with `+`); js-yaml refuses it
      if (/missing indentation for block scalar/.test(err.reason ?? "")) {
        const empty = EMPTY_BLOCK_SCALAR.exec(text.slice(0, reading.end));
        if (empty) return { ok: true, value: (empty[1] ?? empty[2]) === "+" ? (empty[3] ?? "").replace(/[^\n]/g, "") : "" };
      }
      // go-yaml's first document ends before what js-yaml refused (a directive or `--- x` in the middle): read that part
      if (reading.end < yamlTrimmedLength(text) && /\S/.test(text.slice(0, reading.end))) return parseDocument(text.slice(0, reading.end), strict);
      const explicitTag = /^cannot resolve a node with !<tag:yaml\.org,2002:(\w+)> explicit tag/.exec(err.reason ?? "");
      if (explicitTag) {
        const wrong = goTagMismatch(source) ?? tagMismatchBefore(source, err.mark?.line ?? 0);
        if (wrong) return { ok: false, reason: wrong, line };
      }
      // go-yaml's tag URIs take `,[]` (scannerc.go:1968): a tag it does not know, read as a local
      // one; js-yaml refuses flow indicators in a tag, so they become `_` on the line js-yaml stopped at
      if (/tag suffix cannot contain flow indicator characters/.test(err.reason ?? "") && err.mark) {
        const lines = text.split("\n");
        const at = lines[err.mark.line];
        const local = at?.replace(/(^|[ \t])!!?([^\s!<]\S*)/g, (all, before: string, suffix: string) => (/[,[\]{}]/.test(suffix) ? `${before}!${suffix.replace(/[,[\]{}]/g, "_")}` : all));
        if (local !== undefined && local !== at) {
          lines[err.mark.line] = local;
          return parseDocument(lines.join("\n"), strict);
        }
      }
      // go-yaml takes a comment right after a block scalar's indicators (`|#c`, scannerc.go:2131), js-yaml wants a blank
      if (/a line break is expected/.test(err.reason ?? "")) {
        const spaced = text.replace(/((?::|^\s*-|^)[ \t]+(?:[!&]\S*[ \t]+)*[|>][1-9+-]{0,2})#/gm, "$1 #");
        if (spaced !== text) return parseDocument(spaced, strict);
      }
      if (/duplicated mapping key/.test(err.reason ?? "") && strict) {
        let duplicates: string[];
        try {
          duplicates = goDuplicateKeys(source);
        } catch (deep) {
          if (!(deep instanceof RangeError)) throw deep;
          duplicates = [`line ${line}: duplicate key`]; // nested deeper than this thread's stack
        }
        if (duplicates.length === 0) return parseDocument(text, false); // `1` and "1" are different keys to go-yaml
        return { ok: false, reason: `yaml: unmarshal errors:\n  ${duplicates.join("\n  ")}`, line };
      }
      const reason = goYamlWording(err.reason ?? "", line);
      return { ok: false, reason, line };
    }
    if (err instanceof RangeError) {
      const syntax = goYamlSyntaxError(text);
      if (syntax !== undefined) return { ok: false, reason: syntax };
      // Deeper than this thread's stack allows (thousands of levels): go-yaml stops at 10,000.
      const deep = /[[{]{8}|(\n {64})/.exec(source);
      const line = deep ? source.slice(0, deep.index).split("\n").length + (deep[1] ? 1 : 0) : 1;
      return { ok: false, reason: `yaml: line ${line}: exceeded max depth of 10000`, line };
    }
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    trackNulls = false;
    emptyKey = undefined;
  }
}

/** js-yaml's reasons in go-yaml's words where they map one to one. */
function goYamlWording(reason: string, line: number | undefined): string {
  if (/non-printable|null byte/.test(reason)) return "yaml: control characters are not allowed";
  const alias = /^unidentified alias "(.*)"$/.exec(reason);
  if (alias) return `yaml: unknown anchor '${alias[1]}' referenced`;
  if (/^cannot merge mappings/.test(reason)) return "yaml: map merge requires map or sequence of maps as the value";
  if (/^nesting exceeded maxDepth/.test(reason)) return `yaml: line ${line ?? "?"}: exceeded max depth of 10000`;
  if (/^tab characters must not be used in indentation/.test(reason)) return `yaml: line ${line ?? "?"}: found a tab character that violates indentation`;
  return `yaml: line ${line ?? "?"}: ${reason}`;
}

/**
 * What go-yaml refuses and js-yaml reads: an anchor or alias name with characters beyond
 * [0-9A-Za-z_-] or not followed by a blank or `?:,]}%@\`` (scannerc.go:1780), \u or \U escapes to
 * surrogates (scannerc.go:2470), directives, quoted scalars that go on past their line. A cheap look:
 * the port then decides.
 */
const ODD_ANCHOR = /(?:^[ \t]*(?:-[ \t]+)*|[:?][ \t]+|[[{,][ \t]*)[&*](?:[0-9A-Za-z_-]*[^0-9A-Za-z_\s?:,\]}%@`-]|(?=[\s?:,\]}%@`]|$))/m;
const TAB_AFTER_INDENT = /^ *\t/m;
const SURROGATE_ESCAPE = /\\[uU]0*[dD][89a-fA-F]/;
/** Characters go-yaml's reader refuses and js-yaml takes (readerc.go:360). */
export const C1_CONTROL = {
  // (all of the text below 0x80, its UTF-8 length is its length, counted natively: then only DEL can be one)
  test: (text: string): boolean => (Buffer.byteLength(text, "utf8") === text.length ? text.includes("\x7f") : C1_CONTROL_CHARACTER.test(text)),
};
const C1_CONTROL_CHARACTER = /[\x7f-\x84\x86-\x9f\ufffe\uffff]/;

/** NEL, LS or PS (three searches for a character are several times faster than one character class). */
export function hasYaml11LineBreak(text: string): boolean {
  return text.includes("\u0085") || text.includes("\u2028") || text.includes("\u2029");
}
/** A quoted scalar left open at the end of its line: go-yaml reads what follows as a new key. */
const OPEN_QUOTE = /[:-][ \t]+(?:'(?:[^'\n]|'')*|"(?:[^"\\\n]|\\.)*)\r?$/gm;

/**
 * A quoted scalar left open at the end of its line whose continuation is not all indented deeper than the
 * line it starts on. Continued only on deeper lines (how kustomize wraps long strings), js-yaml and go-yaml
 * read it alike (test/validate/open-quote.test.ts compares the two on generated texts), so the port is not run.
 */
function mayRunIntoNextKey(text: string): boolean {
  OPEN_QUOTE.lastIndex = 0;
  for (let m = OPEN_QUOTE.exec(text); m; m = OPEN_QUOTE.exec(text)) {
    const lineStart = text.lastIndexOf("\n", m.index) + 1;
    let indent = 0;
    while (text[lineStart + indent] === " ") indent++;
    const quoteAt = m.index + m[0].search(/['"]/);
    const close = closingQuote(text, quoteAt);
    // the first line after the opening one that is not blank and not deeper than it
    const shallow = new RegExp(`\\n(?: {0,${indent}}(?=[^ \\r\\n])|$)`, "g");
    shallow.lastIndex = m.index + m[0].length;
    const next = shallow.exec(text);
    const dedent = next ? next.index : text.length;
    if (close < 0 || close > dedent) return true;
    OPEN_QUOTE.lastIndex = Math.max(close, m.index + 1);
  }
  return false;
}

/** Where the quoted scalar opening at `at` closes (-1 if it does not): `''` escapes in '…', backslashes in "…". */
function closingQuote(text: string, at: number): number {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === "\\") i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/** A block scalar's header line (`key: |`, `- - key: >-`, `? |2`; not after a `#`): its indentation, `- ` prefixes and key. */
const BLOCK_SCALAR_HEADER = /^( *)((?:- +)*)([^#\n]*[:?-][ \t]+)?[|>][1-9+-]{0,2}[ \t]*\r?$/;

/**
 * The text with the content lines of block scalars emptied (the line count kept): a shell script's `, &Key)` is text,
 * not an anchor. Content is every later line that is blank or deeper than the header's key (its last dash's, with no key); a header written with a
 * comment or after an odd prefix is not recognised, and its lines are kept (the port then decides).
 */
function blockScalarContentBlanked(text: string): string {
  const lines = text.split("\n");
  let keyColumn = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (keyColumn >= 0) {
      const indent = /^ */.exec(line)![0].length;
      if (/^[ \t\r]*$/.test(line) || indent > keyColumn) {
        lines[i] = "";
        continue;
      }
      keyColumn = -1;
    }
    // (a header has a `|` or `>`: most lines have neither, and the search is cheaper than the expression)
    const header = line.includes("|") || line.includes(">") ? BLOCK_SCALAR_HEADER.exec(line) : null;
    // content is deeper than the header's key, or than its last dash where there is no key (`- |`: the backup
    // CronJob's script at the dash's column + 2)
    if (header) keyColumn = header[1]!.length + header[2]!.length - (header[3] === undefined && header[2] ? /- +$/.exec(header[2])![0].length : 0);
  }
  return lines.join("\n");
}

/** Separate looks, cheapest first (one regular expression of them all is slower). */
function goYamlStricter(text: string): boolean {
  return (
    // (no `&`, no anchor: an alias is then js-yaml's error too, worded by the port)
    (text.includes("&") && ODD_ANCHOR.test(text) && ODD_ANCHOR.test(blockScalarContentBlanked(text))) ||
    (text.includes("\\") && SURROGATE_ESCAPE.test(text)) ||
    // a directive: go-yaml takes %YAML 1.1 only (parserc.go:1035)
    (text.includes("%") && /^%/m.test(text)) ||
    C1_CONTROL.test(text) ||
    mayRunIntoNextKey(text) ||
    // a tab after a line's indentation outside block scalars: go-yaml skips it only after a plain scalar, in the
    // plain scalar's trailing blanks (scannerc.go:1464); after a key, a quoted scalar or a `-` it cannot start a token
    (text.includes("\t") && TAB_AFTER_INDENT.test(text) && TAB_AFTER_INDENT.test(blockScalarContentBlanked(text)))
  );
}

/** An anchor or alias name running into `?:%@\`` (a cheap look, then one where a node can start, after a tag). */
const JOINED_ANCHOR = /[&*][0-9A-Za-z_-]+[?:%@`]/;
const JOINED_ANCHOR_AT_NODE = /(?:^[ \t]*(?:-[ \t]+)*|[:?][ \t]+|[[{,][ \t]*)(?:!\S*[ \t]+)?[&*][0-9A-Za-z_-]+[?:%@`]/m;
/**
 * A first document that is a block scalar's header and nothing indented (comments and directives before it; an
 * anchor, !!str or a local tag on it): chomping in 1 or 2, the blank lines after the header in 3.
 */
const EMPTY_BLOCK_SCALAR = /^(?:[ \t]*(?:[#%][^\n]*)?\r?\n)*(?:---[ \t]+)?(?:(?:&[0-9A-Za-z_-]+|!!str|![0-9A-Za-z_-]*)[ \t]+)*[|>](?:[1-9]?([+-])?|([+-])[1-9])[ \t]*(?:#[^\n]*)?(?:\r?\n((?: *\r?\n)*) *)?$/;

/** A standard tag ending its line (after an optional comment), its scalar on a later line (not a key, not an entry). */
const TAG_AT_LINE_END = /(?:^|(?<=\r))([ \t]*)([^\n\r]*?)(!![a-z]+)[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*\r?\n)*([ \t]+)(?![^\n]*:(?:[ \t]|$))(?!-[ \t])(?=\S)/gm;

/** A line with a ':' more than 1,024 characters after the line's first non-blank: a key that may be too long. */
function mayHaveLongKey(text: string): boolean {
  if (text.length <= 1024) return false;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (end - start > 1024) {
      let first = start;
      while (first < end && (text[first] === " " || text[first] === "\t" || text[first] === "-")) first++;
      const colon = text.indexOf(":", first + 1024);
      if (colon >= 0 && colon < end) return true;
    }
    start = end + 1;
  }
  return false;
}

/** A key that may be null: `~:` or `null:` (cheap to scan for: it starts with a literal). */
const NULL_KEY_HINT = /(?:~|null|Null|NULL)[ \t]*:(?:[ \t\r\n]|$)/;
/** An anchored key with nothing after the anchor (`&a : v`): null to go-yaml. */
const EMPTY_ANCHORED_KEY = /&[0-9A-Za-z_-]+[ \t]+:(?:[ \t]|$)/m;
/** A quoted 'null' or "null", which js-yaml's key for an empty node cannot be told from. */
const QUOTED_NULL = /(["'])null\1/;
/** A `? ` complex key with nothing after it. */
const EMPTY_COMPLEX_KEY = /^[ \t]*(?:- +)*\?[ \t]*$/m;
/** A key that may be a sequence or a mapping: a line starting with `[a, b]:` or `{a: 1}:`, or a `? ` complex key. */
const COLLECTION_KEY = /(?:^|:[ \t])[ \t]*(?:- +)*(?:[[{].*[\]}][ \t]*:([ \t]|$)|\?([ \t]|$))/m;

/** A flow mapping whose first entry is a collection (`{[a]}`, `{{a: 1}: b}`) where a node can start: not `'{{ $value }}'`. */
const FLOW_MAP_COLLECTION_KEY = /(?:^|[:?,[{-])[ \t]*\{[ \t]*[[{]/m;

function mayHaveCollectionKey(text: string): boolean {
  // a cheap look first: most documents have neither `]:`/`}:` nor a `?`
  // (or a flow mapping whose first entry is a collection: `{[a]}`, a key without a value)
  // (the looks search for their first character: several times faster than the regular expressions they stand for)
  return ((text.includes("?") || followedAfterBlanks(text, "]", ":") || followedAfterBlanks(text, "}", ":")) && COLLECTION_KEY.test(text)) || (followedAfterBlanks(text, "{", "[{") && FLOW_MAP_COLLECTION_KEY.test(text));
}

/** Whether `text` has `first`, then spaces or tabs, then one of `next` (/[first][ \t]*[next]/, searched by indexOf). */
export function followedAfterBlanks(text: string, first: string, next: string): boolean {
  for (let i = text.indexOf(first); i >= 0; i = text.indexOf(first, i + 1)) {
    let j = i + 1;
    while (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09) j++;
    if (j < text.length && next.includes(text[j]!)) return true;
  }
  return false;
}

const require = createRequire(import.meta.url);
type YamlPackage = typeof import("yaml");
let yamlPackage: YamlPackage | undefined;

/** The `yaml` package's syntax tree, for the rare documents whose keys need a closer look. */
function syntaxTree(text: string): import("yaml").Document.Parsed {
  yamlPackage ??= require("yaml") as YamlPackage;
  // (a lone CR breaks a line for go-yaml, readerc.go; not for the `yaml` package)
  if (text.includes("\r")) text = text.replace(/\r(?!\n)/g, "\n");
  return yamlPackage.parseDocument(text, { version: "1.1", uniqueKeys: false, merge: false, strict: false });
}

/**
 * go-yaml refuses sequences and mappings as keys once it has decoded them (decode.go:672): `invalid map key:
 * []interface {}{"a", "b"}`, unless a scalar decoded before, in the key or ahead of it, fails its tag first.
 */
function findCollectionKey(text: string): string | undefined {
  const y = (yamlPackage ??= require("yaml") as YamlPackage);
  let found: string | undefined;
  y.visit(syntaxTree(text), {
    Scalar(_, node) {
      found = tagMismatch(node);
      return found === undefined ? undefined : y.visit.BREAK;
    },
    Pair(_, pair) {
      if (y.isSeq(pair.key) || y.isMap(pair.key)) {
        found = firstTagMismatch(pair.key) ?? `yaml: invalid map key: ${goValue((pair.key as { toJSON(): unknown }).toJSON())}`;
        return y.visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

const TAG_KINDS: Record<string, Resolved["kind"][]> = { int: ["int"], float: ["float", "int"], bool: ["bool"], null: ["null"] };

/**
 * A scalar whose explicit standard tag does not fit its value: go-yaml's resolve (resolve.go:109)
 * "cannot decode !!str `x` as a !!float" (an int is a float too; !!str and !!binary take anything).
 */
function tagMismatch(node: import("yaml").Scalar): string | undefined {
  const tag = /^tag:yaml\.org,2002:(int|float|bool|null)$/.exec(node.tag ?? "")?.[1];
  return tag && typeof node.source === "string" ? tagMismatchMessage(tag, node.source) : undefined;
}

/** go-yaml's message for a `!!tag value` whose value does not resolve to that tag; undefined when it fits. */
function tagMismatchMessage(tag: string, value: string): string | undefined {
  const kind = goResolve(value).kind;
  return TAG_KINDS[tag]!.includes(kind) ? undefined : `yaml: cannot decode !!${kind} \`${value}\` as a !!${tag}`;
}

/** The last `!!int|float|bool|null value` on line `line` (0-based) or before that does not fit, read from the lines alone. */
function tagMismatchBefore(text: string, line: number): string | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = Math.min(line, lines.length - 1); i >= 0; i--) {
    const m = /!!(int|float|bool|null)[ \t]+([^\s#'"][^#]*?)[ \t]*(?:[ \t]#.*)?$/.exec(lines[i]!);
    if (m) return tagMismatchMessage(m[1]!, m[2]!);
  }
  return undefined;
}

/** The length of `text` without its trailing YAML blanks (String.trimEnd would take a byte-order mark too). */
function yamlTrimmedLength(text: string): number {
  let end = text.length;
  while (end > 0 && " \t\r\n".includes(text[end - 1]!)) end--;
  return end;
}

/** The first scalar in `text` whose explicit tag does not fit it (tagMismatch). */
function goTagMismatch(text: string): string | undefined {
  return firstTagMismatch(syntaxTree(text));
}

/** The first scalar under `node`, in document order, whose explicit tag does not fit it. */
function firstTagMismatch(node: import("yaml").Node | import("yaml").Document): string | undefined {
  const y = (yamlPackage ??= require("yaml") as YamlPackage);
  let found: string | undefined;
  y.visit(node, {
    Scalar(_, scalar) {
      found = tagMismatch(scalar);
      return found === undefined ? undefined : y.visit.BREAK;
    },
  });
  return found;
}

/**
 * Every repeated key, as go-yaml v2's strict decoder lists them (decode.go:661-687 mapping and
 * setMapIndex): depth first, a value's own duplicates before its key's, each at the line where the
 * value starts, keys typed as go-yaml types them (`1` and "1" differ; `yes` and true do not).
 */
function goDuplicateKeys(source: string): string[] {
  const y = (yamlPackage ??= require("yaml") as YamlPackage);
  let text = source;
  let doc = syntaxTree(text);
  if (doc.errors.length > 0) {
    text = flowIndented(source);
    if (text !== source) doc = syntaxTree(text);
  }
  const lineStarts = [0];
  const lined = text.includes("\r") ? text.replace(/\r(?!\n)/g, "\n") : text; // (a lone CR ends a line, as in syntaxTree)
  for (let i = lined.indexOf("\n"); i >= 0; i = lined.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const out: string[] = [];
  const active = new Set<unknown>();
  const decode = (node: unknown): void => {
    if (active.has(node)) return; // a recursive alias (refused elsewhere)
    if (y.isAlias(node)) {
      active.add(node);
      decode(node.resolve(doc)); // decode.go: an alias decodes its anchored node again
      active.delete(node);
      return;
    }
    if (y.isSeq(node)) for (const item of node.items) decode(item);
    if (!y.isMap(node)) return;
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = pair.key;
      const plain = y.isScalar(key) && key.type === "PLAIN" && !key.tag;
      if (plain && key.source === "<<") continue; // a merge (kept as YAML means it, see the README)
      decode(pair.value);
      let id: string;
      let shown: string;
      if (y.isScalar(key) && typeof key.source === "string") {
        const r: Resolved = plain ? goResolve(key.source) : { kind: "str" };
        id = r.kind === "str" ? `str:${key.source}` : `${r.kind}:${String(r.value)}`;
        shown = r.kind === "str" ? JSON.stringify(key.source) : String(r.value);
      } else {
        id = `node:${String(key)}`;
        shown = JSON.stringify(String(key));
      }
      if (seen.has(id)) {
        // the value node's start; an empty value is at the ':' after the key
        const value = pair.value as { range?: [number, number, number] } | null;
        const at = value?.range ? value.range[0] : ((key as { range?: [number, number, number] } | null)?.range?.[1] ?? 0);
        out.push(`line ${lineOf(at)}: key ${shown} already set in map`);
      }
      seen.add(id);
    }
  };
  decode(doc.contents);
  return out;
}

/**
 * The text with each line inside a flow collection indented deeper than the block around it: go-yaml reads a flow
 * collection whatever its lines' indentation, the `yaml` package (YAML 1.2) refuses the shallower ones.
 */
function flowIndented(text: string): string {
  const reading = goYamlFirstDocument(text);
  if (reading.error !== undefined || reading.flowLines.length === 0) return text;
  const lines = text.split("\n");
  for (const [line, indent] of reading.flowLines) {
    const have = /^ */.exec(lines[line] ?? "")![0].length;
    if (line < lines.length && have <= indent) lines[line] = " ".repeat(indent + 1 - have) + lines[line];
  }
  return lines.join("\n");
}

function loadFirst(text: string, strict: boolean): unknown {
  // go-yaml's limit on nesting; js-yaml's default is 100
  const options = { schema: KUBE_YAML_SCHEMA, json: !strict, maxDepth: 10_000 } as yaml.LoadOptions;
  try {
    return yaml.load(text, options);
  } catch (err) {
    // go-yaml reads the first document of a chunk and ignores the rest ("..." end markers).
    if (err instanceof yaml.YAMLException && /expected a single document/.test(err.reason ?? "")) {
      const documents = yaml.loadAll(text, undefined, options);
      // a `...` before any content: go-yaml's "did not find expected node content" (parserc.go:566), unless
      // nothing follows either (a document of only `...`, empty: documented in the README)
      if ((documents[0] === null || documents[0] === undefined) && documents.some((d) => d !== null && d !== undefined)) {
        const syntax = goYamlSyntaxError(text);
        if (syntax !== undefined) throw new ConversionError(syntax);
      }
      return documents[0];
    }
    throw err;
  }
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

/**
 * go-yaml v2 ends a plain scalar at '?' inside a flow collection ("x?y" there is "x", then a key
 * indicator the parser does not expect): such a document is its "did not find expected ',' or '}'"
 * (or ']'), which js-yaml (YAML 1.2) would read as one scalar. Returns go-yaml's message, or undefined.
 */
function flowQuestionMark(text: string): string | undefined {
  const stack: string[] = []; // open flow collections: "}" or "]"
  let line = 1;
  let i = 0;
  let inPlain = false;
  let lineStart = true;
  let blockScalarIndent = -1; // skipping a block scalar's lines deeper than this
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      i++;
      lineStart = true;
      if (stack.length === 0) inPlain = false;
      // block scalar lines: skip while more indented than the header's line (or blank)
      if (blockScalarIndent >= 0 && stack.length === 0) {
        for (;;) {
          let j = i;
          while (j < n && text[j] === " ") j++;
          if (j < n && text[j] !== "\n" && j - i <= blockScalarIndent) break;
          const end = text.indexOf("\n", j);
          if (end < 0) return undefined;
          line++;
          i = end + 1;
        }
        blockScalarIndent = -1;
      }
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf("\n", i);
      if (end < 0) return undefined;
      i = end;
      inPlain = false;
      continue;
    }
    if (stack.length === 0) {
      // block context: find where a flow collection or a quoted scalar or a block scalar starts a node
      if (c === " " || c === "\t") { i++; continue; }
      const atNodeStart = lineStart || /(^|[\s])(-|\?|:)\s+$/.test(text.slice(Math.max(0, i - 3), i)) || /:\s+$/.test(text.slice(Math.max(0, i - 2), i));
      lineStart = false;
      if (atNodeStart && (c === "{" || c === "[")) {
        stack.push(c === "{" ? "}" : "]");
        inPlain = false;
        i++;
        continue;
      }
      if (atNodeStart && (c === "'" || c === '"')) { i = skipQuoted(text, i, () => line++); continue; }
      if (atNodeStart && (c === "|" || c === ">")) {
        const ls = text.lastIndexOf("\n", i - 1) + 1;
        let ind = 0;
        while (text[ls + ind] === " ") ind++;
        blockScalarIndent = ind;
        i++;
        continue;
      }
      if (c === "-" || c === "?" || c === ":") { i++; continue; }
      // a block plain scalar or key: to the end of the line or ": "
      while (i < n && text[i] !== "\n" && !(text[i] === ":" && /\s/.test(text[i + 1] ?? "\n")) && !(text[i] === "#" && /\s/.test(text[i - 1]!))) i++;
      continue;
    }
    // flow context
    if (c === "'" || c === '"') {
      if (!inPlain) { i = skipQuoted(text, i, () => line++); continue; }
      i++;
      continue;
    }
    if (c === "{" || c === "[") { stack.push(c === "{" ? "}" : "]"); inPlain = false; i++; continue; }
    if (c === "}" || c === "]") { stack.pop(); inPlain = false; i++; continue; }
    if (c === ",") { inPlain = false; i++; continue; }
    if (c === ":" && (/[\s,\[\]{}]/.test(text[i + 1] ?? " "))) { inPlain = false; i++; continue; }
    if (c === "?") {
      if (inPlain) return `yaml: line ${line - 1}: did not find expected ',' or '${stack.at(-1)}'`;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") { i++; continue; }
    inPlain = true;
    i++;
  }
  return undefined;
}

function skipQuoted(text: string, i: number, newline: () => void): number {
  const q = text[i]!;
  let j = i + 1;
  while (j < text.length) {
    const c = text[j]!;
    if (c === "\n") newline();
    if (q === '"' && c === "\\") { j += 2; continue; }
    if (c === q) {
      if (q === "'" && text[j + 1] === "'") { j += 2; continue; }
      return j + 1;
    }
    j++;
  }
  return j;
}

/**
 * go-yaml v2's escapes in double-quoted scalars are YAML 1.1's: `\'` is a quote, `\/` is "found
 * unknown escape character". js-yaml (YAML 1.2) reads it the other way round. Returns the text with
 * `\'` made `'`, or go-yaml's error for `\/`.
 */
function goEscapes(text: string): { text: string } | { error: string } {
  let out = "";
  let from = 0;
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === "\n") { line++; i++; continue; }
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) { const e = text.indexOf("\n", i); i = e < 0 ? n : e; continue; }
    if (c === "'" && (i === 0 || /[\s\[{,:?-]/.test(text[i - 1]!))) {
      // a single-quoted scalar: '' is its only escape
      i++;
      while (i < n && !(text[i] === "'" && text[i + 1] !== "'")) { if (text[i] === "'") i++; if (text[i] === "\n") line++; i++; }
      i++;
      continue;
    }
    if (c === '"' && (i === 0 || /[\s\[{,:?-]/.test(text[i - 1]!))) {
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === "\n") line++;
        if (text[i] === "\\") {
          const next = text[i + 1];
          if (next === "/") return { error: `yaml: line ${line}: found unknown escape character` };
          if (next === "'") { out += text.slice(from, i); from = i + 1; }
          if (next === "\n") line++;
          i += 2;
          continue;
        }
        i++;
      }
      i++;
      continue;
    }
    i++;
  }
  return { text: from === 0 ? text : out + text.slice(from) };
}
