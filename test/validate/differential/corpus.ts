// The differential corpus: kubeconform's own fixtures with its acceptance cases (acceptance.bats,
// translated to offline schema locations) and mutations of rendered objects, generated
// deterministically from a committed snapshot (source-objects.yaml). record.ts runs a real
// kubeconform on it and writes recorded.json; differential.test.ts compares ours with that.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, "../../..");
export const FIXTURES = path.join(HERE, "kubeconform");
export const SOURCE_OBJECTS = path.join(HERE, "source-objects.yaml");
export const RECORDED = path.join(HERE, "recorded.json");
export const VERSION = "1.36.2";

/**
 * A schema folder both validators read: the shipped strict schemas plus the extra fixture kinds, a
 * non-strict variant derived from them (additionalProperties: false removed), and the CRD catalogue.
 */
export function buildSchemaFolder(dir: string): string[] {
  const strict = path.join(dir, `v${VERSION}-standalone-strict`);
  const loose = path.join(dir, `v${VERSION}-standalone`);
  fs.mkdirSync(strict, { recursive: true });
  fs.mkdirSync(loose, { recursive: true });
  for (const source of [path.join(REPO, "schemas", `v${VERSION}-standalone-strict`), path.join(HERE, "schemas", `v${VERSION}-standalone-strict`)]) {
    for (const file of fs.readdirSync(source)) {
      const text = fs.readFileSync(path.join(source, file), "utf8");
      fs.writeFileSync(path.join(strict, file), text);
      fs.writeFileSync(path.join(loose, file), JSON.stringify(withoutClosedObjects(JSON.parse(text))));
    }
  }
  fs.cpSync(path.join(REPO, "schemas", "crds"), path.join(dir, "crds"), { recursive: true });
  return schemaLocations(dir);
}

/** The -schema-location values of a folder buildSchemaFolder made. */
export const schemaLocations = (dir: string): string[] => [dir, `${dir}/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`];

function withoutClosedObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutClosedObjects);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (!(k === "additionalProperties" && v === false)) out[k] = withoutClosedObjects(v);
  return out;
}

export interface Case {
  id: string;
  /** Arguments; `@F/` is the fixtures folder, `@S` the schema locations, `@K` the k8s schema folder. */
  args: string[];
  /** A fixture piped to stdin. */
  stdin?: string;
}

const S = "@S";
const f = (name: string) => `@F/fixtures/${name}`;

/** acceptance.bats, test by test, with "default" and remote locations replaced by the offline folder. */
export const ACCEPTANCE: Case[] = [
  { id: "valid yaml", args: [S, "-summary", f("valid.yaml")] },
  { id: "folder", args: [S, "-summary", f("folder")] },
  { id: "int_or_string", args: [S, "-verbose", f("int_or_string.yaml")] },
  { id: "valid json", args: [S, "-summary", f("valid.json")] },
  { id: "generate name", args: [S, "-verbose", f("generate_name.yaml")] },
  { id: "quantity", args: [S, "-verbose", f("quantity.yaml")] },
  { id: "null arrays", args: [S, "-verbose", f("null_array.yaml")] },
  { id: "null strings", args: [S, "-summary", f("null_string.yaml")] },
  { id: "multi valid", args: [S, "-summary", f("multi_valid.yaml")] },
  { id: "multi invalid", args: [S, f("multi_invalid.yaml")] },
  { id: "invalid", args: [S, f("invalid.yaml")] },
  { id: "not here", args: [S, f("not-here")] },
  { id: "blank", args: [S, "-summary", f("blank.yaml")] },
  { id: "comment", args: [S, "-summary", f("comment.yaml")] },
  { id: "missing kind", args: [S, "-summary", f("missing_kind.yaml")] },
  { id: "missing apiVersion", args: [S, "-summary", f("missing_apiversion.yaml")] },
  { id: "missing kind value", args: [S, "-summary", f("missing_kind_value.yaml")] },
  { id: "crd", args: [S, f("test_crd.yaml")] },
  { id: "crd ignore missing", args: [S, "-ignore-missing-schemas", f("test_crd.yaml")] },
  { id: "extra property", args: [S, "-summary", f("extra_property.yaml")] },
  { id: "extra property strict", args: [S, "-strict", f("extra_property.yaml")] },
  { id: "duplicate property strict", args: [S, "-strict", f("duplicate_property.yaml")] },
  { id: "duplicate property", args: [S, f("duplicate_property.yaml")] },
  { id: "location not found", args: ["-schema-location", "@F/nothing-here", "-kubernetes-version", VERSION, f("valid.yaml")] },
  { id: "bad template", args: ["-schema-location", "foo {{ .Foo }}", f("valid.yaml")] },
  { id: "bad version", args: ["-kubernetes-version", "1.25", f("valid.yaml")] },
  { id: "stdin", args: [S, "-summary"], stdin: "valid.yaml" },
  { id: "stdin dash", args: [S, "-summary", "-"], stdin: "valid.yaml" },
  { id: "stdin invalid", args: [S, "-"], stdin: "invalid.yaml" },
  { id: "skip kind", args: [S, "-verbose", "-skip", "ReplicationController", f("valid.yaml")] },
  { id: "skip gvk", args: [S, "-verbose", "-skip", "v1/ReplicationController", f("valid.yaml")] },
  { id: "skip other version", args: [S, "-verbose", "-skip", "v2/ReplicationController", f("valid.yaml")] },
  { id: "reject", args: [S, "-verbose", "-reject", "ReplicationController", f("valid.yaml")] },
  {
    id: "ignore filename pattern",
    args: [S, "-summary", "--ignore-filename-pattern", "crd", "--ignore-filename-pattern", ".*invalid.*", f("multi_invalid.yaml"), f("list_invalid.yaml"), f("quantity.yaml"), f("crd_schema.yaml")],
  },
  { id: "cache missing", args: [S, "-cache", "@F/cache_does_not_exist", "-summary", f("valid.yaml")] },
  { id: "tap", args: [S, "-output", "tap", f("valid.yaml")] },
  { id: "list valid", args: [S, "-summary", f("list_valid.yaml")] },
  { id: "list valid stdin", args: [S, "-summary"], stdin: "list_valid.yaml" },
  { id: "list invalid", args: [S, "-summary", f("list_invalid.yaml")] },
  { id: "list invalid stdin", args: [S, "-summary", "-"], stdin: "list_invalid.yaml" },
  { id: "list empty", args: [S, "-summary", f("list_empty_valid.yaml")] },
  { id: "multi with list", args: [S, "-summary", f("multi_with_list.yaml")] },
  { id: "junit", args: [S, "-output", "junit", "-summary", f("valid.yaml")] },
  { id: "duration", args: ["-schema-location", f("grafanaalertrulegroup_v1beta1.json"), f("grafana-alert-rule-group-sample.yaml")] },
  { id: "registry template", args: [S, "-schema-location", "@F/fixtures/registry/{{ .ResourceKind }}{{ .KindSuffix }}.json", f("test_crd.yaml")] },
  { id: "bad flag", args: ["-xyz"] },
  { id: "every fixture, strict", args: [S, "-strict", "@F/fixtures"] },
  { id: "every fixture", args: [S, "@F/fixtures"] },
  { id: "every fixture, ignore missing", args: [S, "-ignore-missing-schemas", "@F/fixtures"] },
];

export function expandArgs(args: readonly string[], fixtures: string, locations: readonly string[], workDir = ""): string[] {
  return args.flatMap((a) =>
    a === S ? ["-kubernetes-version", VERSION, ...locations.flatMap((l) => ["-schema-location", l])] : [a.replace(/^@F/, fixtures).replace(/^@W/, workDir)],
  );
}

// --- mutations ---------------------------------------------------------------------------------

/** mulberry32: a small seeded generator, so the corpus is the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Slot {
  parent: Json[] | { [k: string]: Json };
  key: string | number;
}

function slots(node: Json, out: Slot[] = []): Slot[] {
  if (Array.isArray(node)) node.forEach((v, i) => (out.push({ parent: node, key: i }), slots(v, out)));
  else if (node !== null && typeof node === "object") for (const [k, v] of Object.entries(node)) out.push({ parent: node, key: k }), slots(v, out);
  return out;
}

function objects(node: Json, out: { [k: string]: Json }[] = []): { [k: string]: Json }[] {
  if (Array.isArray(node)) node.forEach((v) => objects(v, out));
  else if (node !== null && typeof node === "object") {
    out.push(node);
    Object.values(node).forEach((v) => objects(v, out));
  }
  return out;
}

const get = (s: Slot): Json => (s.parent as Record<string | number, Json>)[s.key]!;
const set = (s: Slot, v: Json) => void ((s.parent as Record<string | number, Json>)[s.key] = v);

/** Scalars a YAML 1.1 reader and a YAML 1.2 reader disagree on, tags, and other decoding edge cases. */
const YAML_SCALARS = [
  "yes", "no", "on", "off", "y", "n", "Yes", "NO", "1_000", "0x1F", "0o17", "017", "0b101", "+12", "-0", ".inf", "-.inf", ".nan",
  "~", "null", "Null", "2001-12-14", "2001-12-14T21:59:43.10-05:00", "1e3", "3.", ".5", "12:30", "1:20:30", "!!binary aGVsbG8=",
  "!!str 12", '!!int "12"', "!!float 1", "!!timestamp 2001-12-14", '!!null ""', "!!bool yes", "!foo bar", "'12'", '"0x10"', "=",
  "<<", "0.", "1__0", "_1", "0x_1F", "9223372036854775808", "-9223372036854775809", "1.7976931348623157e309", "!!map {a: 1}",
  "!!seq [1]", "&a 1", "*unknown", "[a, b]", "{a: 1}", "? a", "- a", "|\n  text", ">-\n  text", "'it''s'", '"\\x41"', '"\\u00e9"',
];

export interface Mutation {
  id: string;
  op: string;
  text: string;
}

const OBJECT_OPS = [
  "unknown-field", "drop-key", "null-value", "type-flip", "enum-bogus", "array-wrap", "object-for-scalar", "negative-int",
  "kind-unknown", "api-version", "empty-string", "name-number", "list-wrap", "huge-int", "float-for-int", "empty-object",
] as const;
const TEXT_OPS = ["yaml-scalar", "yaml-scalar", "yaml-scalar", "duplicate-key", "indent-break", "tab-indent", "merge-key", "control-char", "anchor-alias", "null-key"] as const;

export function loadSources(): Json[] {
  return yaml.loadAll(fs.readFileSync(SOURCE_OBJECTS, "utf8")) as Json[];
}

export function mutations(count: number, seed = 19): Mutation[] {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const sources = loadSources();
  const out: Mutation[] = [];
  for (let n = 0; n < count; n++) {
    const source = sources[n % sources.length]!;
    const object = structuredClone(source);
    const useText = random() < 0.4;
    const op = useText ? pick(TEXT_OPS) : pick(OBJECT_OPS);
    let text: string;
    if (useText) text = mutateText(yaml.dump(object, { lineWidth: -1, noRefs: true }), op, random, pick);
    else text = yaml.dump(mutateObject(object, op, random, pick), { lineWidth: -1, noRefs: true });
    out.push({ id: `m${String(n).padStart(4, "0")}-${op}`, op, text });
  }
  return out;
}

function mutateObject(object: Json, op: string, random: () => number, pick: <T>(xs: readonly T[]) => T): Json {
  const all = slots(object).filter((s) => s.key !== "apiVersion" && s.key !== "kind");
  const leaves = all.filter((s) => { const v = get(s); return v === null || typeof v !== "object"; });
  const root = object as { [k: string]: Json };
  switch (op) {
    case "unknown-field": {
      const target = pick(objects(object));
      target[pick(["zzUnknown", "replicaz", "imagePullPolicyy", "x"])] = pick([1, "a", true, null, {}]);
      return object;
    }
    case "drop-key": {
      const target = pick(objects(object).filter((o) => Object.keys(o).length > 0));
      if (target) delete target[pick(Object.keys(target))];
      return object;
    }
    case "null-value":
      if (leaves.length) set(pick(leaves), null);
      return object;
    case "type-flip": {
      if (!leaves.length) return object;
      const s = pick(leaves);
      const v = get(s);
      set(s, typeof v === "string" ? (/^\d+$/.test(v) ? Number(v) : 42) : typeof v === "number" ? String(v) : typeof v === "boolean" ? String(v) : "x");
      return object;
    }
    case "enum-bogus": {
      const strings = leaves.filter((s) => typeof get(s) === "string");
      if (strings.length) set(pick(strings), pick(["Bogus", "", "ALWAYS", "tcp", "1.2.3", "300.1.1.1", "not a date", "P1X"]));
      return object;
    }
    case "array-wrap":
      if (leaves.length) { const s = pick(leaves); set(s, [get(s)]); }
      return object;
    case "object-for-scalar":
      if (leaves.length) set(pick(leaves), { a: 1 });
      return object;
    case "negative-int": {
      const numbers = leaves.filter((s) => typeof get(s) === "number");
      if (numbers.length) set(pick(numbers), pick([-1, 0, 65536, 1.5]));
      return object;
    }
    case "kind-unknown":
      root.kind = pick(["Widget", "deployment", "", 5, "List"]);
      return object;
    case "api-version":
      root.apiVersion = pick(["v9", "apps/v1beta1", "", "apps/v1/extra", 1]);
      return object;
    case "empty-string": {
      const strings = leaves.filter((s) => typeof get(s) === "string");
      if (strings.length) set(pick(strings), "");
      return object;
    }
    case "name-number":
      if (root.metadata && typeof root.metadata === "object" && !Array.isArray(root.metadata)) root.metadata.name = pick([123, true, null, ["a"]]);
      return object;
    case "list-wrap":
      return { apiVersion: "v1", kind: "List", items: [object, pick<Json>([{ kind: 5, apiVersion: "v1" }, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { a: 1 } }, "scalar", null])] };
    case "huge-int": {
      const numbers = leaves.filter((s) => typeof get(s) === "number");
      if (numbers.length) set(pick(numbers), pick([2 ** 31, 2 ** 53, 1e21]));
      return object;
    }
    case "float-for-int": {
      const numbers = leaves.filter((s) => typeof get(s) === "number");
      if (numbers.length) set(pick(numbers), pick([1.0000001, 2.5, -0.5]));
      return object;
    }
    case "empty-object": {
      const target = pick(all.filter((s) => { const v = get(s); return v !== null && typeof v === "object"; }));
      if (target) set(target, pick([{}, [], null]));
      return object;
    }
    default:
      return object;
  }
}

function mutateText(text: string, op: string, random: () => number, pick: <T>(xs: readonly T[]) => T): string {
  const lines = text.split("\n");
  const valueLines = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(- )?[A-Za-z0-9_./-]+: \S/.test(l) && !/^(apiVersion|kind):/.test(l));
  const keyLines = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[A-Za-z0-9_./-]+:/.test(l) && !/^\s*- /.test(l) && !/^(apiVersion|kind):/.test(l));
  switch (op) {
    case "yaml-scalar": {
      if (!valueLines.length) return text;
      const [line, i] = pick(valueLines);
      const scalar = pick(YAML_SCALARS);
      const m = /^(\s*(?:- )?[A-Za-z0-9_./-]+: )/.exec(line)!;
      const indent = " ".repeat(m[1]!.length);
      lines[i] = m[1] + scalar.replace(/\n/g, `\n${indent}`);
      return lines.join("\n");
    }
    case "duplicate-key": {
      if (!keyLines.length) return text;
      const [line, i] = pick(keyLines);
      const indent = /^\s*/.exec(line)![0];
      const key = line.trim().split(":")[0];
      lines.splice(i + 1, 0, `${indent}${key}: duplicate`);
      return lines.join("\n");
    }
    case "indent-break": {
      const i = 1 + Math.floor(random() * (lines.length - 2));
      lines[i] = " " + lines[i];
      return lines.join("\n");
    }
    case "tab-indent": {
      const indented = lines.map((l, i) => [l, i] as const).filter(([l]) => /^ +\S/.test(l));
      if (!indented.length) return text;
      const [line, i] = pick(indented);
      lines[i] = line.replace(/^ +/, "\t");
      return lines.join("\n");
    }
    case "merge-key": {
      const i = lines.findIndex((l) => l.startsWith("metadata:"));
      if (i < 0) return text;
      lines.splice(i + 1, 0, pick(["  <<: {labels: {merged: x}}", "  <<: {name: overridden}", "  <<: [{a: 1}, {b: 2}]", "  <<: 5"]));
      return lines.join("\n");
    }
    case "control-char": {
      if (!valueLines.length) return text;
      const [line, i] = pick(valueLines);
      lines[i] = line + pick(["\u0007", "\u001b", "\u0000", "\u00a0", "\ufeff", "\u0085", "\u2028"]);
      return lines.join("\n");
    }
    case "anchor-alias": {
      const i = lines.findIndex((l) => l.startsWith("metadata:"));
      if (i < 0) return text;
      lines[i] = "metadata: &meta";
      lines.push(pick(["zzAlias: *meta", "status: *meta", "spec2: *missing"]));
      return lines.join("\n");
    }
    case "null-key": {
      const i = lines.findIndex((l) => l.startsWith("metadata:"));
      if (i < 0) return text;
      lines.splice(i + 1, 0, pick(["  ~: x", "  ? [a, b]\n  : x", "  1: one", "  '1': one\n  1: two", "  true: x", "  null: y"]));
      return lines.join("\n");
    }
    default:
      return text;
  }
}
