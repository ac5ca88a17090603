// Decoding one YAML document as kubectl and kubeconform do (sigs.k8s.io/yaml over go-yaml v2):
// YAML 1.1 scalars, merge keys, strict mode rejecting duplicate keys. js-yaml is used because it
// parses 5-10x faster than the `yaml` package; its schema is extended to go-yaml v2's.
import yaml from "js-yaml";

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
        ? `unmarshal errors:\n  line ${line}: ${duplicateKeyMessage(text, err)}`
        : /non-printable|null byte/.test(err.reason ?? "")
          ? "control characters are not allowed"
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
  // js-yaml's mark is at the start of the repeated key
  const rest = err.mark ? text.slice(err.mark.position, err.mark.position + 1024) : "";
  const key = /^["']?([^"':,{}\[\]\n]+?)["']?\s*:/.exec(rest)?.[1];
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

