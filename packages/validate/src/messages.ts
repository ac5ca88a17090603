// ajv errors rendered the way kubeconform 0.7.0 (santhosh-tekuri/jsonschema v6) words them:
// `got string, want integer`, `missing property 'x'`, `additional properties 'y' not allowed`.
import type { ErrorObject } from "ajv";
import { FORMAT_CAUSES, strconvQuote } from "./formats.ts";
import type { FieldError } from "./types.ts";

/**
 * kubeconform's `msg` for an invalid resource: v6's error tree on one line. A failed oneOf/anyOf
 * lists each failed branch's errors one level deeper ("\n  - at" with the newline made a space).
 */
export function invalidMessage(schemaSource: string, errors: readonly FieldError[]): string {
  const render = (list: readonly FieldError[], depth: number): string =>
    list.map((e) => ` ${"  ".repeat(depth)}- at '${e.path}': ${e.msg}${e.causes ? render(e.causes, depth + 1) : ""}`).join("");
  return `problem validating schema. Check JSON formatting: jsonschema validation failed with '${schemaSource}#'${render(errors, 0)}`;
}

/**
 * kubeconform's validationErrors: the top-level causes of v6's error tree. v6 reports each value's
 * errors as one: a value (object, array item, scalar) with a single error below it passes that
 * error up, one with several becomes "validation failed" with them as causes; the root's group is
 * flattened. Errors inside a failed oneOf/anyOf are that keyword's `causes` (for the message), one
 * tree per branch; those inside `not` are dropped, as in v6.
 */
export function fieldErrors(errors: readonly ErrorObject[], data: unknown): FieldError[] {
  const root = nest(keywordErrors(errors, data), "");
  if (!root) return [];
  return GROUPS.has(root) ? root.causes! : [root];
}

/** v6's kind.Group nodes. */
const GROUPS = new WeakSet<FieldError>();
/** additionalProperties errors, which v6 adds after walking an object's properties. */
const AFTER_CHILDREN = new WeakSet<FieldError>();

/** The errors at `at` and below it as v6's tree: one error, or a group of the value's errors. */
function nest(flat: readonly FieldError[], at: string): FieldError | undefined {
  const list: FieldError[] = [];
  const below = new Map<string, FieldError[]>();
  for (const e of flat) {
    if (e.path === at) list.push(e);
    else if (e.path.startsWith(at + "/")) {
      const child = at + "/" + e.path.slice(at.length + 1).split("/")[0]!;
      const entries = below.get(child);
      if (entries) entries.push(e);
      else below.set(child, [e]);
    }
  }
  // v6 reports additional properties after the properties' own errors
  const after = list.filter((e) => AFTER_CHILDREN.has(e));
  if (after.length > 0) list.splice(0, list.length, ...list.filter((e) => !AFTER_CHILDREN.has(e)));
  for (const [child, entries] of below) list.push(nest(entries, child)!);
  list.push(...after);
  if (list.length <= 1) return list[0];
  const group: FieldError = { path: at, msg: "validation failed", causes: list };
  GROUPS.add(group);
  return group;
}

/** ajv's errors as v6's keyword errors, each at its value: required and additionalProperties names joined. */
function keywordErrors(errors: readonly ErrorObject[], data: unknown): FieldError[] {
  const branchRoots = errors
    .filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf" || e.keyword === "not")
    .map((e) => e.schemaPath + "/");
  // v6 stops at a failed `type`: the same schema's other keywords are not reported for that value
  const typeFailed = new Set(errors.filter((e) => e.keyword === "type").map((e) => `${e.instancePath}\u0000${e.schemaPath.slice(0, -"/type".length)}`));
  const siblingOfType = (e: ErrorObject) =>
    typeFailed.size > 0 && e.keyword !== "type" && typeFailed.has(`${e.instancePath}\u0000${e.schemaPath.slice(0, e.schemaPath.lastIndexOf("/"))}`);
  const kept = errors.filter((e) => !branchRoots.some((root) => e.schemaPath.startsWith(root)) && !siblingOfType(e));
  const causesOf = (e: ErrorObject): FieldError[] | undefined => {
    if ((e.keyword !== "oneOf" && e.keyword !== "anyOf") || (e.params as { passingSchemas?: unknown }).passingSchemas) return undefined;
    const root = e.schemaPath + "/";
    const inside = errors.filter((x) => x.schemaPath.startsWith(root));
    const branches = new Map<string, ErrorObject[]>();
    for (const x of inside) {
      const branch = x.schemaPath.slice(root.length).split("/")[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), x]);
    }
    const out = [...branches.keys()].sort((a, b) => Number(a) - Number(b)).flatMap((b) => nest(keywordErrors(branches.get(b)!, data), e.instancePath) ?? []);
    return out.length > 0 ? out : undefined;
  };
  const grouped = new Map<string, { path: string; keyword: string; names: string[] }>();
  const out: (FieldError | { path: string; keyword: string; names: string[] })[] = [];
  for (const e of kept) {
    const name = e.keyword === "required" ? e.params.missingProperty : e.keyword === "additionalProperties" ? e.params.additionalProperty : undefined;
    if (name !== undefined) {
      const key = `${e.instancePath}\u0000${e.keyword}`;
      const group = grouped.get(key);
      if (group) group.names.push(String(name));
      else {
        const fresh = { path: e.instancePath, keyword: e.keyword, names: [String(name)] };
        grouped.set(key, fresh);
        out.push(fresh);
      }
      continue;
    }
    const causes = causesOf(e);
    out.push({ path: e.instancePath, msg: describe(e, valueAt(data, e.instancePath)), ...(causes ? { causes } : {}) });
  }
  return out.map((entry) => {
    if ("msg" in entry) return entry;
    const error: FieldError = { path: entry.path, msg: describeGroup(entry.keyword, entry.names) };
    if (entry.keyword === "additionalProperties") AFTER_CHILDREN.add(error);
    return error;
  });
}

function describeGroup(keyword: string, names: string[]): string {
  const quoted = names.map(quote).join(", ");
  if (keyword === "required") return names.length === 1 ? `missing property ${quoted}` : `missing properties ${quoted}`;
  return `additional properties ${quoted} not allowed`;
}

function describe(e: ErrorObject, value: unknown): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "type":
      return `got ${typeName(value)}, want ${orderTypes([p.type].flat() as string[]).join(" or ")}`;
    case "enum": {
      const allowed = (p.allowedValues as unknown[]) ?? [];
      return allowed.length === 1 ? `value must be ${display(allowed[0])}` : `value must be one of ${allowed.map(display).join(", ")}`;
    }
    case "const":
      return `value must be ${display(p.allowedValue)}`;
    case "pattern":
      return `${display(value)} does not match pattern ${quote(String(p.pattern))}`;
    case "format": {
      // kind.go Format: "%s is not valid %s: %v", the format's own cause last
      const cause = typeof value === "string" ? FORMAT_CAUSES[String(p.format)]?.(value) : undefined;
      return `${display(value)} is not valid ${String(p.format)}${cause ? `: ${cause}` : ""}`;
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `must be ${p.comparison} ${goNumber(p.limit)} but found ${goNumber(value)}`;
    case "minLength":
    case "maxLength":
      return `${e.keyword}: got ${typeof value === "string" ? [...value].length : "?"}, want ${p.limit}`;
    case "minItems":
    case "maxItems":
      return `${e.keyword}: got ${Array.isArray(value) ? value.length : "?"}, want ${p.limit}`;
    case "minProperties":
    case "maxProperties":
      return `${e.keyword}: got ${value && typeof value === "object" ? Object.keys(value).length : "?"}, want ${p.limit}`;
    case "oneOf": {
      const passing = p.passingSchemas as number[] | null;
      return passing ? `oneOf failed, subschemas ${passing.join(", ")} matched` : "oneOf failed, none matched";
    }
    case "anyOf":
      return "anyOf failed";
    case "not":
      return "not failed";
    case "multipleOf":
      return `multipleOf: got ${goNumber(value)}, want ${goNumber(p.multipleOf)}`;
    case "uniqueItems":
      return `items at ${p.j} and ${p.i} are equal`;
    default:
      return e.message ?? e.keyword;
  }
}

/** santhosh-tekuri/jsonschema lists wanted types in this order, whatever the schema's. */
const TYPE_ORDER = ["null", "boolean", "number", "integer", "string", "array", "object"];

function orderTypes(types: string[]): string[] {
  return [...types].sort((a, b) => TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b));
}

/** Numbers as golang.org/x/text's English printer writes them in v6's messages: 1,000 and 0.5. */
function goNumber(value: unknown): string {
  return typeof value === "number" && Math.abs(value) < 1e21 ? value.toLocaleString("en-US", { maximumFractionDigits: 20 }) : String(value);
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "object" : typeof value;
}

/** v6's quote (kind.go:616): Go's %q with double quotes left alone and single quotes escaped, in single quotes. */
export function quote(s: string): string {
  // the common case first: nothing to escape
  if (/^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/.test(s)) return `'${s}'`;
  // kind.go:616: %q, then \" made " and ' made \' (also where the \" was the end of an escaped backslash)
  const q = strconvQuote(s).replaceAll('\\"', '"').replaceAll("'", "\\'");
  return `'${q.slice(1, -1)}'`;
}

/** v6's display: strings quoted, arrays and objects as "value", the rest as Go's %v. */
function display(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (value === null || value === undefined) return "<nil>";
  if (typeof value === "object") return "value";
  return String(value);
}

function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === "") return data;
  let node = data;
  for (const raw of pointer.slice(1).split("/")) {
    if (node === null || typeof node !== "object") return undefined;
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
