// YAML syntax errors worded as kubeconform words them (go-yaml v2's scanner and parser, ported in
// packages/validate/src/goyaml-syntax.ts), and strict-mode duplicate keys listed as go-yaml's decoder
// lists them, explicit tags that do not fit, collection keys, and schema paths that are not URLs.
// Every expected message was recorded from kubeconform 0.7.0 (built from yannh/kubeconform) with
// `kubeconform -strict -output json`; "= " marks a message that is not a YAML conversion error.
import { describe, expect, it } from "vitest";
import { goYamlSyntaxError } from "../../packages/validate/src/goyaml-syntax.ts";
import { validateDocuments } from "../../packages/validate/src/index.ts";
import { testCacheDir } from "./helpers.ts";

const PREFIX = "error unmarshalling resource: error converting YAML to JSON: ";

// [case, document, kubeconform's message per result]
const CASES: [string, string, string[]][] = [
  ["mapping value on a plain scalar's line", "a: b: c\n", ["yaml: mapping values are not allowed in this context"]],
  ["mapping value after an indented key", "kind: Pod\nmetadata:\n  name: x\n   labels: y\n", ["yaml: line 4: mapping values are not allowed in this context"]],
  ["key at a lesser indent inside a mapping", "a:\n    b: 1\n  c: 2\n", ["yaml: line 2: did not find expected key"]],
  ["block sequence entry after a value", "a: b\n- c\n", ["yaml: line 1: did not find expected key"]],
  ["block sequence entry in a plain value", "a: - b\n", ["yaml: block sequence entries are not allowed in this context"]],
  ["mapping key indicator in a value", "a: ? b\n", ["yaml: mapping keys are not allowed in this context"]],
  ["tab indentation", "a:\n\tb: 1\n", ["yaml: line 2: found character that cannot start any token"]],
  ["tab before a block scalar line", "a: |\n  x\n\ty\n", ["yaml: line 3: found a tab character where an indentation space is expected"]],
  ["tab that violates a plain scalar's indentation", "a:\n  b\n\tc\n", ["yaml: line 3: found a tab character that violates indentation"]],
  ["unclosed flow mapping", "a: {b: 1\n", ["yaml: line 1: did not find expected ',' or '}'"]],
  ["unclosed flow sequence", "a: [1, 2\nb: 3\n", ["yaml: line 1: did not find expected ',' or ']'"]],
  ["flow sequence without a comma", "a: [1 2]\n", ["= error while parsing: missing 'kind' key"]],
  ["flow mapping closed by a bracket", "a: {b: 1]\n", ["yaml: did not find expected ',' or '}'"]],
  ["unclosed double quote", "a: \"b\n", ["yaml: line 2: found unexpected end of stream"]],
  ["unclosed single quote", "a: 'b\n", ["yaml: line 2: found unexpected end of stream"]],
  ["unknown escape", "a: \"\\q\"\n", ["yaml: found unknown escape character"]],
  ["bad hex escape", "a: \"\\xZZ\"\n", ["yaml: did not find expected hexdecimal number"]],
  ["simple key without a colon at a key's indent", "a: 1\nb\nc: 2\n", ["yaml: line 3: could not find expected ':'"]],
  ["character that cannot start a token", "a: 1\n@b: 2\n", ["yaml: line 2: found character that cannot start any token"]],
  ["backquote at the start of a value", "a: `b`\n", ["yaml: found character that cannot start any token"]],
  ["unknown anchor", "a: *x\n", ["yaml: unknown anchor 'x' referenced"]],
  ["anchor without a name", "a: & b\n", ["yaml: did not find expected alphabetic or numeric character"]],
  ["alias without a name", "a: * b\n", ["yaml: did not find expected alphabetic or numeric character"]],
  ["bad tag", "a: !<x b\n", ["yaml: did not find the expected '>'"]],
  ["undefined tag handle", "a: !x!y b\n", ["yaml: found undefined tag handle"]],
  ["unknown directive", "%FOO bar\n---\na: 1\n", ["yaml: found unknown directive name","= error while parsing: missing 'kind' key"]],
  ["YAML 1.2 directive", "%YAML 1.2\n---\na: 1\n", ["yaml: found incompatible YAML document","= error while parsing: missing 'kind' key"]],
  ["directive without a document start", "%YAML 1.1\na: 1\n", ["yaml: line 1: did not find expected <document start>"]],
  ["block scalar indentation indicator 0", "a: |0\n  x\n", ["yaml: found an indentation indicator equal to 0"]],
  ["block scalar header with text", "a: | x\n  y\n", ["yaml: did not find expected comment or line break"]],
  ["control character", "a: b\u0001\n", ["yaml: control characters are not allowed"]],
  ["control character after 600 bytes", `a: ${"x".repeat(600)}\nb: [\nc: \u0007\n`, ["yaml: control characters are not allowed"]],
  ["error on the first line", "a: b: c", ["yaml: mapping values are not allowed in this context"]],
  ["error after CRLF lines", "a: 1\r\nb: 2\r\nc: d: e\r\n", ["yaml: line 3: mapping values are not allowed in this context"]],
  ["mapping value after a quoted key", "\"a\" b: c\n", ["yaml: did not find expected key"]],
  ["a sequence then a key", "- a\nb: c\n", ["yaml: line 1: did not find expected '-' indicator"]],
  ["key after a block sequence in a mapping", "a:\n  - b\n c: d\n", ["yaml: line 2: did not find expected key"]],
  ["long simple key", `a${"b".repeat(1100)}: c\n`, ["yaml: mapping values are not allowed in this context"]],
  ["flow mapping key on the next line", "a: {b\n: c}\n", ["yaml: line 1: did not find expected ',' or '}'"]],
  ["question mark in a flow plain scalar", "a: {b: c?d}\n", ["yaml: did not find expected ',' or '}'"]],
  ["syntax error before a control character in the next 512 bytes", `a: b: c\nx: ${"y".repeat(600)}\u0001\n`, ["yaml: mapping values are not allowed in this context"]],
  ["control character in the first 512 bytes after a syntax error", "a: b: c\nx: y\u0001\n", ["yaml: control characters are not allowed"]],
  ["duplicate keys, every one listed", "a: 1\nb: 2\na: 3\nb: 4\n", ["yaml: unmarshal errors:\n  line 3: key \"a\" already set in map\n  line 4: key \"b\" already set in map"]],
  ["duplicate key whose value starts on the next line", "m:\n  x: 1\nm:\n  y: 2\n", ["yaml: unmarshal errors:\n  line 4: key \"m\" already set in map"]],
  ["duplicate inside a value listed before its key's", "m: {a: 1}\nm: {b: 1, b: 2}\n", ["yaml: unmarshal errors:\n  line 2: key \"b\" already set in map\n  line 2: key \"m\" already set in map"]],
  ["duplicate key with an empty value", "a:\nb: 1\na:\n", ["yaml: unmarshal errors:\n  line 3: key \"a\" already set in map"]],
  ["int and string keys are different", "kind: x\n1: a\n'1': b\n", ["= error while parsing: missing 'apiVersion' key"]],
  ["yes and true are the same key", "kind: x\nyes: a\ntrue: b\n", ["yaml: unmarshal errors:\n  line 3: key true already set in map"]],
  ["syntax error after a duplicate key", "a: 1\na: 2\nb: c: d\n", ["yaml: line 3: mapping values are not allowed in this context"]],
  ["nested flow too deep", `a: ${"[".repeat(10001)}\n`, ["yaml: exceeded max depth of 10000"]],
  // where js-yaml and go-yaml disagree on whether a document is YAML, and other go-yaml texts
  ["YAML 1.2 directive read by go-yaml only as 1.1", "%YAML 1.2\r\n---\r\nkind: x\r\n", ["yaml: found incompatible YAML document","= error while parsing: missing 'apiVersion' key"]],
  ["anchor name with a dot", "a: &x.y 1\n", ["yaml: did not find expected alphabetic or numeric character"]],
  ["alias name with a slash", "a: &x 1\nb: *x/y\n", ["yaml: line 2: did not find expected alphabetic or numeric character"]],
  ["surrogate escape", "a: \"\\ud800\"\n", ["yaml: found invalid Unicode character escape code"]],
  ["quoted scalar left open at the end of its line", "metadata:\n  name: 'x''\ndata:\n  '5': y\n", ["yaml: line 3: did not find expected key"]],
  ["byte-order mark in the middle", "a:\n  b: 1\n﻿  c: 2\n", ["= error while parsing: missing 'kind' key"]],
  ["directive in the middle ends the document", "apiVersion: v1\nkind: x\n%YAML 1.1\nb: 2\n", ["= could not find schema for x"]],
  ["document end marker before content", "...\nkind: x\n", ["yaml: did not find expected node content"]],
  ["!!float on a string", "a: !!float abc\n", ["yaml: cannot decode !!str `abc` as a !!float"]],
  ["!!int on a float", "a: !!int 1.5\n", ["yaml: cannot decode !!float `1.5` as a !!int"]],
  ["!!bool on an int", "a: !!bool 1\n", ["yaml: cannot decode !!int `1` as a !!bool"]],
  ["block scalar header with a comment and no blank", "apiVersion: v1\nkind: x\na: |#c\n  text\n", ["= could not find schema for x"]],
  ["sequence key in a flow mapping", "a: {[b, c]}\n", ["yaml: invalid map key: []interface {}{\"b\", \"c\"}"]],
  ["mapping key in a flow mapping", "a: {{b: 1}}\n", ["yaml: invalid map key: map[interface {}]interface {}{\"b\":1}"]],
  ["mapping key with an empty value", "? {b: }\n: x\n", ["yaml: invalid map key: map[interface {}]interface {}{\"b\":interface {}(nil)}"]],
  ["kind with a percent sign", "apiVersion: v1\nkind: a%zz\n", ["= parse \"/nonexistent/a%zz.json\": invalid URL escape \"%zz\""]],
  ["kind with a control character", "apiVersion: v1\nkind: \"a\\x01\"\n", ["= parse \"/nonexistent/a\\x01.json\": net/url: invalid control character in URL"]],
  ["standard tag at the end of its line, its scalar below", "apiVersion: !!str\n  1\nkind: x\n", ["= could not find schema for x"]],
  ["C1 control character in a quoted scalar", "a: '\u0080x'\n", ["yaml: control characters are not allowed"]],
];

describe("YAML syntax errors and duplicate keys: kubeconform's texts", () => {
  it.each(CASES)("%s", async (_name, text, expected) => {
    const report = await validateDocuments([{ filename: "in.yaml", content: text }], {
      strict: true,
      schemaLocations: ["/nonexistent/{{.ResourceKind}}.json"],
      cacheDir: testCacheDir,
      workers: 1,
    });
    const got = report.resources.map((r) => (r.msg.startsWith(PREFIX) ? r.msg.slice(PREFIX.length) : `= ${r.msg}`));
    expect(got).toEqual(expected);
  });

  it("finds no syntax error where go-yaml finds none", () => {
    for (const text of ["", "a: 1\n", "a: [1 2]\n", "- a\n- b: c\n  d: e\n", "a: |\n  x\n\n  y\nb: >-\n  z\n", "? a\n: b\n", "a: &x 1\nb: *x\n", "%YAML 1.1\n---\na: !!str 1\n"]) {
      expect(goYamlSyntaxError(text)).toBeUndefined();
    }
  });
});
