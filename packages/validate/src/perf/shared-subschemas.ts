// Hash-consing of subschemas. The standalone schemas inline every definition, so a workload kind
// carries the whole PodSpec/Container/Volume tree (and Probe, EnvVar, ResourceRequirements… once
// per occurrence), and Deployment, StatefulSet, Job and CronJob carry it again. ajv generates code
// per occurrence: ~0.3 s per workload kind. Here every object subschema big enough to matter is
// replaced by a `$ref` to a definition named after the hash of its (rewritten) JSON, so one ajv
// instance generates, and V8 compiles, each distinct subtree once per thread.
//
// What keeps verdicts and messages identical:
// - Only documents without any `$ref`/`$id`/`$anchor`/… (and without a nested `$schema`) are
//   rewritten: moving a subtree then cannot change how anything in it resolves.
// - The hash is over the JSON text of the rewritten subschema, key order kept, so only identical
//   subschemas share code; `properties` order, and so error order, is preserved.
// - Only `description`, `title`, `$comment` and `x-kubernetes-*` are dropped (from the schemas
//   walked): ajv (strict: false) generates no code for them. Everything else stays, `format`
//   included, and schemas that assert formats and schemas that don't use separate instances.
// - Only subschemas under `properties`, `patternProperties`, `items` (a single schema) and
//   `additionalProperties` are shared. Nothing under `oneOf`/`anyOf`/`allOf`/`not`/`if`/`then`/
//   `else`/`dependencies`/`definitions`/`propertyNames`/`contains` is: messages.ts drops the
//   errors inside a failed oneOf/anyOf/not branch by `schemaPath` prefix, and a `$ref` there would
//   give those errors the referenced schema's own paths.
// - The root of each kind stays its own schema; errors' instancePath does not depend on `$ref`.
// test/validate/sharing.test.ts checks all of this against compiling without sharing.

export const SHARED_ID_PREFIX = "urn:mcp-stack:sub:";

/** Subtrees smaller than this (JSON characters, counting shared children) stay inline. */
export const MIN_SHARED_WEIGHT = 200;

/** Keywords whose value is a map of name → subschema. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties"]);
/**
 * Keywords whose value is one subschema applied to each child value. (Not `propertyNames`: ajv
 * tells its inline code which name it checks, a separate function could not.)
 */
const SCHEMA_SLOTS = new Set(["items", "additionalProperties"]);

/** Keywords that decide how `$ref`s resolve: a document with any of them is left alone. */
const SCOPING_KEYWORDS = /"\$(?:ref|id|anchor|dynamicRef|dynamicAnchor|recursiveRef|recursiveAnchor)"\s*:/;

/**
 * Whether `schemaText` can be rewritten: no keyword that scopes or resolves references, and no
 * `$schema` below the root (the root's, if `rootHasMetaSchema`, is read and removed by the caller).
 * A match inside a property name or a string only makes this more careful.
 */
export function canShareSubschemas(schemaText: string, rootHasMetaSchema: boolean): boolean {
  if (SCOPING_KEYWORDS.test(schemaText)) return false;
  const metaSchemas = schemaText.match(/"\$schema"\s*:/g)?.length ?? 0;
  return metaSchemas <= (rootHasMetaSchema ? 1 : 0);
}

function isAnnotation(keyword: string): boolean {
  return keyword === "description" || keyword === "title" || keyword === "$comment" || keyword.startsWith("x-kubernetes-");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The root schema with its shareable subtrees replaced by `{ $ref: <id> }`; `register` is called
 * for each subtree (innermost first, possibly several times with the same id) with the id and the
 * rewritten subtree, which must be made known to the ajv instance under that id.
 */
export function shareSubschemas(
  root: Record<string, unknown>,
  register: (id: string, schema: Record<string, unknown>) => void,
): Record<string, unknown> {
  return rewrite(root, register).schema;
}

interface Rewritten {
  schema: Record<string, unknown>;
  /** JSON size of the subtree as it would be inlined (for `rewrite`: of its shared children only). */
  weight: number;
}

function rewrite(node: Record<string, unknown>, register: (id: string, schema: Record<string, unknown>) => void): Rewritten {
  const out: Record<string, unknown> = {};
  let childWeight = 0;
  const child = (value: unknown): unknown => {
    if (!isPlainObject(value)) return value;
    const shared = share(value, register);
    if (shared.isRef) childWeight += shared.weight; // an inline child is part of the parent's JSON already
    return shared.schema;
  };
  for (const [keyword, value] of Object.entries(node)) {
    if (isAnnotation(keyword)) continue;
    if (SCHEMA_MAPS.has(keyword) && isPlainObject(value)) {
      const map: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value)) map[name] = child(sub);
      out[keyword] = map;
    } else if (SCHEMA_SLOTS.has(keyword)) {
      out[keyword] = child(value);
    } else {
      out[keyword] = value;
    }
  }
  return { schema: out, weight: childWeight };
}

function share(node: Record<string, unknown>, register: (id: string, schema: Record<string, unknown>) => void): Rewritten & { isRef: boolean } {
  const rewritten = rewrite(node, register);
  const text = JSON.stringify(rewritten.schema);
  const weight = text.length + rewritten.weight;
  if (weight < MIN_SHARED_WEIGHT) return { schema: rewritten.schema, weight, isRef: false };
  const id = SHARED_ID_PREFIX + process.getBuiltinModule("node:crypto").createHash("sha256").update(text).digest("hex"); // (loaded to compile only)
  register(id, rewritten.schema);
  return { schema: { $ref: id }, weight, isRef: true };
}
