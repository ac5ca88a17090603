// Decoding YAML as kubectl and kubeconform do (sigs.k8s.io/yaml over go-yaml v2). Every expected value
// and verdict below was recorded from kubeconform 0.7.0 (built from yannh/kubeconform), by validating
// `v: <scalar>` against fixtures/decode/probe-v1.json ({"v": {"type": "string", "pattern": "^NEVER$"}}),
// whose messages show what type and value the scalar decoded to.
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../packages/validate/src/decode.ts";
import { validateDocuments } from "../../packages/validate/src/index.ts";
import { documentsOfBytes } from "../../packages/validate/src/index.ts";
import { fixture, testCacheDir } from "./helpers.ts";

const decoded = (scalar: string): unknown => {
  const outcome = parseDocument(`v: ${scalar.replace(/\n/g, "\n  ")}\n`, false);
  return outcome.ok ? (outcome.value as { v: unknown }).v : { error: outcome.reason };
};

// [scalar as written, what kubeconform decoded it to]
const SCALARS: [string, unknown][] = [
  ...["yes", "on", "y", "Yes", "True", "TRUE"].map((s): [string, unknown] => [s, true]),
  ...["no", "off", "n", "NO"].map((s): [string, unknown] => [s, false]),
  ["1_000", 1000], ["0x1F", 31], ["0o17", 15], ["017", 15], ["0b101", 5], ["-0b101", -5], ["+12", 12], ["-0", 0], ["0", 0], ["00", 0],
  ["1e3", 1000], ["1E3", 1000], ["3.", 3], ["3.0", 3], [".5", 0.5], ["-.5", -0.5], ["0.", 0], ["1__0", 10], ["0x_1F", 31], ["1_", 1],
  ["1_000.5", 1000.5], ["+1_0", 10], ["08", 8], ["09", 9], ["0_7", 7], ["+0x10", 16], ["-0x10", -16], ["1.5e-7", 1.5e-7],
  ["9223372036854775807", 9223372036854775807], ["18446744073709551615", 18446744073709551615], ["18446744073709551616", 18446744073709551616],
  ["-9223372036854775809", -9223372036854775809], ["0xFFFFFFFFFFFFFFFF", 18446744073709551615], ["123456789012345678901234567890", 1.2345678901234568e29],
  ...["~", "null", "Null", "NULL", ""].map((s): [string, unknown] => [s, null]),
  ["2001-12-14", "2001-12-14"], ["2001-12-14T21:59:43.10-05:00", "2001-12-14T21:59:43.10-05:00"], ["2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10 -5"],
  ["12:30", "12:30"], ["1:20:30", "1:20:30"], ["_1", "_1"], ["1.7976931348623157e309", "1.7976931348623157e309"], ["1e400", "1e400"],
  ["0x1p3", "0x1p3"], ["1,000", "1,000"], ["0b", "0b"], ["0x", "0x"], ["0o", "0o"], ["=", "="], ["<<", "<<"],
  ["!!binary aGVsbG8=", "hello"], ["!!binary |\n  aGVs\n  bG8=", "hello"], ["!!str 12", "12"], ['!!int "12"', 12], ["!!float 1", 1],
  ["!!timestamp 2001-12-14", "2001-12-14"], ['!!null ""', null], ["!!bool yes", true], ["!!str", ""],
  ["!foo bar", "bar"], ["!foo 12", "12"], ["!<tag:x> 1", "1"], ["! 12", "12"],
  ["'12'", "12"], ['"0x10"', "0x10"], ["'it''s'", "it's"], ['"\\x41"', "A"], ['"\\u00e9"', "é"], ['"\\U0001F600"', "😀"], ['"\\N"', "\u0085"],
  ['"\\_"', "\u00a0"], ['"\\L"', "\u2028"], ['"\\P"', "\u2029"], ['"a\\tb"', "a\tb"], ["a\u00a0b", "a\u00a0b"], ["a\ufeffb", "a\ufeffb"],
  ["|\n  text", "text\n"], ["|-\n  x", "x"],
];

// [scalar, kubeconform's error (after "error converting YAML to JSON: ")]
const SCALAR_ERRORS: [string, string | RegExp][] = [
  [".inf", "json: unsupported value: +Inf"], ["+.inf", "json: unsupported value: +Inf"], [".Inf", "json: unsupported value: +Inf"],
  [".INF", "json: unsupported value: +Inf"], ["-.inf", "json: unsupported value: -Inf"], [".nan", "json: unsupported value: NaN"],
  [".NaN", "json: unsupported value: NaN"], ["a\u0007b", "yaml: control characters are not allowed"],
  // go-yaml (YAML 1.1) breaks lines at NEL and LS: "could not find expected ':'"
  ["a\u0085b", /^yaml: line \d+: /], ["a\u2028b", /^yaml: line \d+: /],
  ["!!null x", /^yaml: /], ["!! 12", /^yaml: /],
];

describe("YAML scalars as go-yaml v2 resolves them (recorded from kubeconform)", () => {
  it.each(SCALARS)("%j decodes to %j", (scalar, want) => {
    expect(decoded(scalar)).toEqual(want);
  });

  it.each(SCALAR_ERRORS)("%j is an error", (scalar, want) => {
    const got = decoded(scalar) as { error?: string };
    if (typeof want === "string") expect(got.error).toBe(want);
    else expect(got.error).toMatch(want);
  });
});

const probe = `${fixture("decode")}/{{.ResourceKind}}-{{.ResourceAPIVersion}}.json`;
const head = (name: string) => `apiVersion: v1\nkind: Probe\nmetadata:\n  name: ${name}\n`;
const utf16 = (text: string, le: boolean) => {
  const body = Buffer.from(text, "utf16le");
  if (!le) for (let i = 0; i < body.length; i += 2) [body[i], body[i + 1]] = [body[i + 1]!, body[i]!];
  return Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
};

interface DocCase {
  name: string;
  bytes: Buffer;
  /** kubeconform's [status, kind, name, message] for -strict=false and -strict (when they differ). */
  want: [string, string, string, string | RegExp];
  strict?: [string, string, string, string | RegExp];
  ignoreMissing?: [string, string, string, string | RegExp];
}

const nest = (k: number) => head(`nest${k}`) + "deep: " + "[".repeat(k) + "]".repeat(k) + "\n";
const INVALID_X = "problem validating schema. Check JSON formatting: jsonschema validation failed with 'file://@P#' - at '/v': 'x' does not match pattern '^NEVER$'";

const DOCUMENTS: DocCase[] = [
  { name: "invalid UTF-8", bytes: Buffer.concat([Buffer.from(head("bad") + "v: a"), Buffer.from([0xff, 0xfe]), Buffer.from("b\n")]), want: ["statusError", "", "", "error unmarshalling resource: error converting YAML to JSON: yaml: invalid leading UTF-8 octet"] },
  { name: "UTF-16LE with BOM", bytes: utf16(head("u16le") + "v: x\n", true), want: ["statusInvalid", "Probe", "u16le", INVALID_X] },
  { name: "UTF-16BE with BOM", bytes: utf16(head("u16be") + "v: x\n", false), want: ["statusInvalid", "Probe", "u16be", INVALID_X] },
  { name: "UTF-8 with BOM", bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(head("u8bom") + "v: x\n")]), want: ["statusInvalid", "Probe", "u8bom", INVALID_X] },
  { name: "1,000 levels of nesting", bytes: Buffer.from(nest(1000)), want: ["statusValid", "Probe", "nest1000", ""] },
  { name: "10,001 levels of nesting", bytes: Buffer.from(nest(10001)), want: ["statusError", "", "", /^error unmarshalling resource: error converting YAML to JSON: yaml: line \d+: exceeded max depth of 10000$/] },
  { name: "a 5 MiB document", bytes: Buffer.from(head("big") + "v: " + "x".repeat(5 * 1024 * 1024) + "\n"), want: ["statusInvalid", "Probe", "big", /does not match pattern/] },
  { name: "keys 1 and '1'", bytes: Buffer.from(head("keys") + "data:\n  1: one\n  '1': two\n"), want: ["statusValid", "Probe", "keys", ""] },
  { name: "a null key", bytes: Buffer.from(head("nullkey") + "data:\n  ~: x\n"), want: ["statusError", "", "", 'error unmarshalling resource: error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"'] },
  { name: "a sequence key", bytes: Buffer.from(head("seqkey") + "data:\n  [a, b]: x\n"), want: ["statusError", "", "", 'error unmarshalling resource: error converting YAML to JSON: yaml: invalid map key: []interface {}{"a", "b"}'] },
  { name: "a mapping key", bytes: Buffer.from(head("mapkey") + "data:\n  {a: 1}: x\n"), want: ["statusError", "", "", 'error unmarshalling resource: error converting YAML to JSON: yaml: invalid map key: map[interface {}]interface {}{"a":1}'] },
  { name: "a complex scalar key", bytes: Buffer.from(head("cplx") + "data:\n  ? a\n  : x\n"), want: ["statusValid", "Probe", "cplx", ""] },
  { name: "List items with Kind:", bytes: Buffer.from("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  Kind: Probe\n  metadata: {name: capital}\n  v: x\n"), want: ["statusError", "Probe", "capital", "error while parsing: missing 'kind' key"] },
  { name: "a List item with a numeric kind", bytes: Buffer.from("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: 5\n  metadata: {name: numeric}\n"), want: ["statusError", "5", "numeric", "error while parsing: missing 'kind' key"] },
  { name: "a numeric kind", bytes: Buffer.from("apiVersion: v1\nkind: 5\nmetadata: {name: topnumeric}\n"), want: ["statusError", "5", "topnumeric", "could not find schema for 5"], ignoreMissing: ["statusSkipped", "5", "topnumeric", ""] },
  { name: "Kind: at the top", bytes: Buffer.from("apiVersion: v1\nKind: Probe\nmetadata: {name: capitaltop}\nv: x\n"), want: ["statusInvalid", "Probe", "capitaltop", INVALID_X] },
  { name: "kind: list", bytes: Buffer.from("apiVersion: v1\nkind: list\nitems:\n- apiVersion: v1\n  kind: Probe\n  metadata: {name: lowerlist}\n"), want: ["statusValid", "Probe", "lowerlist", ""] },
  {
    name: "a duplicate key",
    bytes: Buffer.from(head("dup") + "v: a\nv: b\n"),
    want: ["statusInvalid", "Probe", "dup", /'b' does not match pattern/],
    strict: ["statusError", "Probe", "dup", 'error unmarshalling resource: error converting YAML to JSON: yaml: unmarshal errors:\n  line 6: key "v" already set in map'],
  },
  // kind, apiVersion and metadata through Go's encoding/json: every key equal ignoring case, in sorted order
  { name: "kind and Kind (the later in Go's key order wins)", bytes: Buffer.from("apiVersion: v1\nkind: Probe\nKind: Other\nmetadata: {name: kinds}\nv: x\n"), want: ["statusInvalid", "Probe", "kinds", INVALID_X] },
  { name: "apiversion holding a mapping beside apiVersion", bytes: Buffer.from("apiVersion: v1\napiversion: {a: 1}\nkind: Probe\nmetadata: {name: apiobj}\n"), want: ["statusError", "Probe", "apiobj", "error while parsing: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go struct field .APIVersion of type string"] },
  { name: "APIVERSION before apiVersion", bytes: Buffer.from("APIVERSION: v9\napiVersion: v1\nkind: Probe\nmetadata: {name: upper}\nv: x\n"), want: ["statusInvalid", "Probe", "upper", INVALID_X] },
  { name: "Metadata and metadata merge", bytes: Buffer.from("apiVersion: v1\nkind: Probe\nMetadata: {namespace: ns, name: first}\nmetadata: {name: merged}\nv: x\n"), want: ["statusInvalid", "Probe", "merged", INVALID_X] },
  { name: "a null NAME leaves name", bytes: Buffer.from("apiVersion: v1\nkind: Probe\nmetadata: {name: nul, NAME: ~}\nv: x\n"), want: ["statusInvalid", "Probe", "nul", INVALID_X] },
  { name: "ITEMS: null before items", bytes: Buffer.from("apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: Probe, metadata: {name: a}}]\nITEMS: ~\n"), want: ["statusValid", "Probe", "a", ""] },
  { name: "Items, then items that is no list", bytes: Buffer.from("apiVersion: v1\nkind: List\nItems: [{apiVersion: v1, kind: Probe, metadata: {name: cap}, v: x}]\nitems: 5\n"), want: ["statusInvalid", "Probe", "cap", INVALID_X] },
  { name: "name n (a YAML 1.1 boolean) after Name", bytes: Buffer.from("apiVersion: v1\nkind: Probe\nmetadata: {name: n, Name: 5}\nv: x\n"), want: ["statusInvalid", "Probe", "false", INVALID_X] },
  // go-yaml v2 ends a plain scalar at '?' inside a flow collection, then finds a key indicator it does not expect
  { name: "'?' inside a plain scalar in a flow mapping", bytes: Buffer.from(head("flowq1") + "data: {b: x?y}\n"), want: ["statusError", "", "", "error unmarshalling resource: error converting YAML to JSON: yaml: line 4: did not find expected ',' or '}'"] },
  { name: "'?' ending a plain scalar in a flow sequence", bytes: Buffer.from(head("flowq2") + "data: [x, y?]\n"), want: ["statusError", "", "", "error unmarshalling resource: error converting YAML to JSON: yaml: line 4: did not find expected ',' or ']'"] },
  { name: "'?' in quoted scalars of a flow mapping", bytes: Buffer.from(head("flowq3") + "data: {b: 'x?y', c: \"d?e\"}\n"), want: ["statusValid", "Probe", "flowq3", ""] },
  { name: "an explicit key in a flow mapping", bytes: Buffer.from(head("flowq4") + "data: {? b : c}\n"), want: ["statusValid", "Probe", "flowq4", ""] },
  { name: "'?' in a block plain scalar", bytes: Buffer.from(head("flowq5") + "url: http://x/?a=b\n"), want: ["statusValid", "Probe", "flowq5", ""] },
  { name: "a URL query in a flow mapping", bytes: Buffer.from(head("flowq6") + "env: [{name: a, value: postgres:5432/mcp?sslmode=disable}]\n"), want: ["statusError", "", "", "error unmarshalling resource: error converting YAML to JSON: yaml: line 4: did not find expected ',' or '}'"] },
  // go-yaml v2's double-quoted escapes are YAML 1.1's: \' is a quote, \/ is unknown
  { name: "\\/ in a double-quoted scalar", bytes: Buffer.from(head("esc1") + 'v: "x \\/ y"\n'), want: ["statusError", "", "", "error unmarshalling resource: error converting YAML to JSON: yaml: line 5: found unknown escape character"] },
  { name: "\\' in a double-quoted scalar", bytes: Buffer.from(head("esc2") + 'v: "it\\\'s"\n'), want: ["statusInvalid", "Probe", "esc2", "problem validating schema. Check JSON formatting: jsonschema validation failed with 'file://@P#' - at '/v': 'it\\'s' does not match pattern '^NEVER$'"] },
  { name: "\\/ in single quotes and plain scalars", bytes: Buffer.from(head("esc3") + "w: 'x \\/ y'\nu: x\\/y\n"), want: ["statusValid", "Probe", "esc3", ""] },
  // a document of only a block scalar's header, text at column 0 after it: go-yaml's block scalar content is indented
  // at least 1 (scannerc.go:2306), so the document is an empty string (its blank lines with `+`)
  { name: "`--- |` then unindented text", bytes: Buffer.from("--- |\n" + head("blk0")), want: ["statusError", "", "", "error unmarshalling resource: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}"] },
  { name: "`--- |+`, blank lines, then unindented text", bytes: Buffer.from("--- |+\n\n\n" + head("blk1")), want: ["statusError", "", "", "error unmarshalling resource: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}"] },
  // go-yaml ends an anchor or alias name at ':' (scannerc.go:1809): `&v: x` anchors an empty (null) key
  { name: "an anchor-looking key `&v:`", bytes: Buffer.from(head("anc1") + "data:\n  &v: x\n"), want: ["statusError", "", "", 'error unmarshalling resource: error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"'] },
  { name: "an anchor running into a scalar `&x:b`", bytes: Buffer.from(head("anc2") + "v: &x:b\n"), want: ["statusInvalid", "Probe", "anc2", "problem validating schema. Check JSON formatting: jsonschema validation failed with 'file://@P#' - at '/v': ':b' does not match pattern '^NEVER$'"] },
  { name: "an alias running into ':' in a flow sequence", bytes: Buffer.from(head("anc4") + "w: &x a\nv: [*x:]\n"), want: ["statusInvalid", "Probe", "anc4", "problem validating schema. Check JSON formatting: jsonschema validation failed with 'file://@P#' - at '/v': got array, want string"] },
  { name: "an anchored empty key `&x :`", bytes: Buffer.from(head("anc3") + "data:\n  - &x : y\n"), want: ["statusError", "", "", "error unmarshalling resource: error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: true"] },
  { name: "an empty complex key", bytes: Buffer.from(head("cplx0") + "data:\n  ?\n  : y\n"), want: ["statusError", "", "", "error unmarshalling resource: error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: true"] },
  // a tab after a blank line's indentation: skipped in a plain scalar's trailing blanks, else no token can start with it
  // (scannerc.go:1464)
  { name: "spaces and a tab on a line after a quoted scalar", bytes: Buffer.from(head("tab1") + 'data:\n  a: "x"\n     \t\n  b: y\n'), want: ["statusError", "", "", "error unmarshalling resource: error converting YAML to JSON: yaml: line 7: found character that cannot start any token"] },
  { name: "spaces and a tab on a line after a plain scalar", bytes: Buffer.from(head("tab2") + "data:\n  a: x\n     \t\n  b: y\n"), want: ["statusValid", "Probe", "tab2", ""] },
  { name: "a comment right after a tagged block scalar's indicator", bytes: Buffer.from(head("tagc") + "v: !<tag:x> |#c\n\n  x\n"), want: ["statusInvalid", "Probe", "tagc", "problem validating schema. Check JSON formatting: jsonschema validation failed with 'file://@P#' - at '/v': '\\nx\\n' does not match pattern '^NEVER$'"] },
  // go-yaml decodes a mapping key before refusing it (decode.go:667-673): a tag that does not fit fails first
  { name: "a tag that does not fit inside a mapping key", bytes: Buffer.from(head("tagk") + "data:\n  ? image: !!null perl\n  : y\n"), want: ["statusError", "", "", "error unmarshalling resource: error converting YAML to JSON: yaml: cannot decode !!str `perl` as a !!null"] },
  // go-yaml reads flow collections whatever their lines' indentation, and folds plain scalars over lines in them
  { name: "a plain scalar over lines in a flow mapping", bytes: Buffer.from("{apiVersion: v1, kind: Probe, metadata: {name: flowp}, v: x\ny\n\n  2}\n"), want: ["statusInvalid", "Probe", "flowp", "problem validating schema. Check JSON formatting: jsonschema validation failed with 'file://@P#' - at '/v': 'x y\\n2' does not match pattern '^NEVER$'"] },
  { name: "a plain scalar over lines in a nested flow sequence", bytes: Buffer.from(head("flown") + "v: [x,\ny: z\n2]\n"), want: ["statusInvalid", "Probe", "flown", "problem validating schema. Check JSON formatting: jsonschema validation failed with 'file://@P#' - at '/v': got array, want string"] },
  {
    name: "a duplicate key after a flow sequence ending at column 0",
    bytes: Buffer.from(head("flowd") + "data:\n  a: [1,\n2]\ndata: 2\nv: x\n"),
    want: ["statusInvalid", "Probe", "flowd", INVALID_X],
    strict: ["statusError", "Probe", "flowd", 'error unmarshalling resource: error converting YAML to JSON: yaml: unmarshal errors:\n  line 8: key "data" already set in map'],
  },
  // go-yaml reads the first document only (decode.go): an unknown escape after `--- {}` is never read
  { name: "an unknown escape after `--- {}`", bytes: Buffer.from("--- {}\n" + head("esc") + 'v: "x\\/"\n'), want: ["statusError", "", "", "error while parsing: missing 'kind' key"] },
  // a lone CR breaks the line (readerc.go): the tag's scalar ends there
  { name: "a tag that does not fit, its line ended by a lone CR", bytes: Buffer.from(head("cr") + "w: !!bool x\ry: 1\n"), want: ["statusError", "", "", "error unmarshalling resource: error converting YAML to JSON: yaml: cannot decode !!str `x` as a !!bool"] },
  // go-yaml's tag URIs take `,[]` (scannerc.go:1968): an unknown tag, read as a local one
  { name: "a tag holding a comma", bytes: Buffer.from(head("tagf") + "v: !!x,y z\n"), want: ["statusInvalid", "Probe", "tagf", "problem validating schema. Check JSON formatting: jsonschema validation failed with 'file://@P#' - at '/v': 'z' does not match pattern '^NEVER$'"] },
  { name: "a tag of `[]`", bytes: Buffer.from(head("tage") + "v: !![]\n"), want: ["statusInvalid", "Probe", "tage", "problem validating schema. Check JSON formatting: jsonschema validation failed with 'file://@P#' - at '/v': '' does not match pattern '^NEVER$'"] },
  { name: "a tag that does not fit after a quoted scalar over lines", bytes: Buffer.from(head("tagq") + 'data:\n  w: "a\nb"\n  v: !!float x\n'), want: ["statusError", "", "", "error unmarshalling resource: error converting YAML to JSON: yaml: cannot decode !!str `x` as a !!float"] },
  { name: "a tag at a line's end, lines started by a CR", bytes: Buffer.from(head("tagcr") + "data:\n\r  a: !!str\n x\n\r  b: c\n"), want: ["statusError", "", "", "error unmarshalling resource: error converting YAML to JSON: yaml: line 7: did not find expected key"] },
  { name: "a one-line JSON document with a '?' in a string", bytes: Buffer.from('{"apiVersion":"v1","kind":"Probe","metadata":{"name":"jsonq"},"env":[{"name":"A","value":"postgres:5432/mcp?sslmode=disable"}],"v":"x"}'), want: ["statusInvalid", "Probe", "jsonq", INVALID_X] },
  // a byte-order mark after content ends go-yaml's document (readerc.go is_bom)
  { name: "a byte-order mark at the end", bytes: Buffer.from("    w: y\n\ufeff"), want: ["statusError", "", "", "error while parsing: missing 'kind' key"] },
  {
    name: "a duplicate key, lines ended by lone CRs",
    bytes: Buffer.from("apiVersion: v1\rkind: Probe\rmetadata:\r  name: dupcr\rv: x\rw: 1\rv: y\r"),
    want: ["statusInvalid", "Probe", "dupcr", "problem validating schema. Check JSON formatting: jsonschema validation failed with 'file://@P#' - at '/v': got boolean, want string"],
    strict: ["statusError", "Probe", "dupcr", 'error unmarshalling resource: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key "v" already set in map'],
  },
  { name: "a duplicate key in a List item", bytes: Buffer.from("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Probe\n  metadata: {name: duplist}\n  v: a\n  v: b\n"), want: ["statusInvalid", "Probe", "duplist", /'b' does not match pattern/] },
];

async function verdict(bytes: Buffer, strict: boolean, ignoreMissingSchemas = false): Promise<[string, string, string, string]> {
  const docs = documentsOfBytes(bytes);
  // the in-memory API takes text: hand each document's decoded text over as its own input
  const report = await validateDocuments(
    docs.map((d) => ({ filename: "in.yaml", content: d.decodeError ? "" : d.text, ...(d.decodeError ? { error: "" } : {}) })),
    { schemaLocations: [probe], strict, ignoreMissingSchemas, cacheDir: testCacheDir, workers: 1 },
  );
  if (docs[0]?.decodeError) return ["statusError", "", "", `error unmarshalling resource: error converting YAML to JSON: yaml: ${docs[0].decodeError}`];
  const r = report.resources[0]!;
  return [r.status, r.kind, r.name, r.msg.replace(/file:\/\/\S+probe-v1\.json#/, "file://@P#")];
}

describe("documents as kubeconform decodes them (recorded verdicts)", () => {
  it.each(DOCUMENTS)("$name", async (c) => {
    for (const [strict, want] of [[false, c.want], [true, c.strict ?? c.want]] as const) {
      const got = await verdict(c.bytes, strict);
      expect(got.slice(0, 3), `strict=${strict}`).toEqual(want.slice(0, 3));
      if (typeof want[3] === "string") expect(got[3], `strict=${strict}`).toBe(want[3]);
      else expect(got[3], `strict=${strict}`).toMatch(want[3]);
    }
    if (c.ignoreMissing) expect((await verdict(c.bytes, false, true)).slice(0, 3)).toEqual(c.ignoreMissing.slice(0, 3));
  });
});

describe("where kubeconform is wrong, and we keep the better verdict (documented)", () => {
  it("an explicit key overrides a merge key, also in strict mode (go-yaml v2 strict calls it a duplicate)", async () => {
    const bytes = Buffer.from(head("merge") + "<<: {v: merged}\nv: explicit\n");
    for (const strict of [false, true]) expect((await verdict(bytes, strict))[3]).toMatch(/'explicit' does not match pattern/);
  });

  it("a file of only `...` is empty (kubeconform: 'did not find expected node content')", async () => {
    const report = await validateDocuments([{ filename: "dots.yaml", content: "...\n" }], { schemaLocations: [probe], cacheDir: testCacheDir, workers: 1 });
    expect(report.summary).toEqual({ valid: 0, invalid: 0, errors: 0, skipped: 0 });
  });
});

describe("float keys spelled as Go spells them, only where a float was read", () => {
  it("a float key becomes Go's float32 spelling; .inf as a key is .inf", () => {
    expect(parseDocument(".inf: x\n0.30000001: y\n", true)).toEqual({ ok: true, value: { ".inf": "x", "0.3": true } });
  });

  it("a string key is kept as written, whatever floats earlier documents held", () => {
    expect(parseDocument("a: 0.30000001\n", true).ok).toBe(true);
    // (3.14159265358979 is a float whose Go spelling differs, so the document's keys are looked at)
    expect(parseDocument('"0.30000001": a\nInfinity: b\nNaN: c\npi: 3.14159265358979\n', true)).toEqual({
      ok: true,
      value: { "0.30000001": "a", Infinity: "b", NaN: "c", pi: 3.14159265358979 },
    });
  });

  it("a quoted key with a float's JavaScript spelling stays as written beside that float (kubeconform's keys)", () => {
    // kubeconform -strict on these keys against additionalProperties false: "additional properties '3.14159265358979',
    // '3.1415927', '10000000000', '1e+10' not allowed", and 'Infinity', '.inf' (sigs.k8s.io/yaml yaml.go:230)
    const keys = (text: string) => {
      const outcome = parseDocument(text, true);
      return outcome.ok ? Object.keys(outcome.value as object).sort() : outcome.reason;
    };
    expect(keys('1e10: a\n"10000000000": b\n3.14159265358979: c\n"3.14159265358979": d\n')).toEqual(["10000000000", "1e+10", "3.14159265358979", "3.1415927"]);
    expect(keys(".inf: a\nInfinity: b\n")).toEqual([".inf", "Infinity"]);
    expect(parseDocument("<<: 1e10\n", true)).toMatchObject({ ok: false, reason: "yaml: map merge requires map or sequence of maps as the value" });
  });
});
