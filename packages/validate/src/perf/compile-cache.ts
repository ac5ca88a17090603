// Schema → validator function. ajv compiles a Kubernetes workload schema on its own in ~300 ms,
// so compiled validators are kept as ajv standalone code under <cache>/validators/<key>.cjs (the
// key covers the schema text, the ajv version and our options: schemaKey) and in memory for repeated
// in-process calls. With subschema sharing (the default, see shared-subschemas.ts) all schemas
// compiled on a thread go through one ajv instance per format mode, so the PodSpec tree the
// workload kinds have in common is compiled once; each cache file still holds all its kind needs.
import type { ValidateFunction } from "ajv";
import { AJV_FORMATS, goRegExp } from "../formats.ts";
import { canShareSubschemas, shareSubschemas } from "./shared-subschemas.ts";
import { requireWithCodeCache } from "./code-cache.ts";
const crypto = process.getBuiltinModule("node:crypto");
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const { createRequire } = process.getBuiltinModule("node:module");

/**
 * Validators load with V8's code cache taken after a run (code-cache.ts) unless
 * MCP_STACK_VALIDATE_CODE_CACHE=0 (then with require() and Node's compile cache). Verdicts are the
 * same either way; test/validate/code-cache.test.ts compares the two.
 */
let codeCaches = process.env.MCP_STACK_VALIDATE_CODE_CACHE !== "0";

/** Turns code caches on or off; returns the previous setting, for a caller that restores it. */
export function setCodeCaches(on: boolean): boolean {
  const was = codeCaches;
  codeCaches = on;
  return was;
}

const require = createRequire(import.meta.url);
// ajv itself is loaded only to compile: a run whose validators are all cached never loads it.
type AjvModule = typeof import("ajv");
let ajvLib: { ajvModule: AjvModule; standaloneCode: typeof import("ajv/dist/standalone/index.js").default } | undefined;
function ajv(): NonNullable<typeof ajvLib> {
  ajvLib ??= {
    ajvModule: require("ajv") as AjvModule,
    standaloneCode: (require("ajv/dist/standalone/index.js") as typeof import("ajv/dist/standalone/index.js")).default,
  };
  return ajvLib;
}
const AJV_PACKAGE = require.resolve("ajv/package.json");
const AJV_VERSION = (JSON.parse(fs.readFileSync(AJV_PACKAGE, "utf8")) as { version: string }).version;
/** ajv's runtime helpers, required by absolute path from cached code, wherever the cache is. */
const AJV_DIR = path.dirname(AJV_PACKAGE);

/** Bump when the options or the format checks change, so old cached code is not reused. */
const CACHE_GENERATION = "7";
// Cached validators are CommonJS files loaded with require() (so Node's compile cache keeps their
// bytecode); they reach our format checks and pattern engine through these global slots.
const FORMATS_SLOT = "__kubeconformNodeFormats";
const REGEXP_SLOT = "__kubeconformNodeRegExp";
const slots = globalThis as unknown as Record<string, unknown>;
slots[FORMATS_SLOT] = AJV_FORMATS;
slots[REGEXP_SLOT] = goRegExp;
// ajv's code.regExp: the function for compiling now, its `code` for the standalone output.
const patternEngine = Object.assign((pattern: string, flags: string) => goRegExp(pattern, flags), {
  code: REGEXP_SLOT,
});

export type Compiled = { ok: true; validate: ValidateFunction } | { ok: false; reason: string };

const inMemory = new Map<string, Compiled>();

/**
 * The internal switch for subschema sharing: on unless MCP_STACK_VALIDATE_SHARING=0 (read when the
 * module loads, so a worker thread started later follows the same setting). Verdicts and messages
 * are the same either way; test/validate/sharing.test.ts compares the two.
 */
let sharing = process.env.MCP_STACK_VALIDATE_SHARING !== "0";

export function setSubschemaSharing(on: boolean): void {
  sharing = on;
}

export function subschemaSharing(): boolean {
  return sharing;
}

/** Drops every validator held in memory (tests: the next compile comes from the disk cache). */
export function forgetCompiledInMemory(): void {
  inMemory.clear();
  sharedInstances.clear();
}

export function compileSchema(schemaText: string, cacheDir: string): Compiled {
  const mode = sharing ? "shared" : "inline";
  const hash = schemaKey(`${CACHE_GENERATION}\0${AJV_VERSION}\0${AJV_DIR}\0${mode}\0`, schemaText);
  const known = inMemory.get(hash);
  if (known) return known;
  const compiled = loadFromDisk(cacheDir, hash) ?? compileAndStore(schemaText, cacheDir, hash, sharing);
  inMemory.set(hash, compiled);
  return compiled;
}

/**
 * A validator's name: the SHA-256 of the options and the schema text. A checksum such as CRC-32 was tried to save
 * loading node:crypto (5-10 ms a run), but two schemas that differ by a CRC collision (`plumless` for `buckeroo`)
 * would share a name, and a run would load the other schema's validator: a name must be collision-resistant.
 */
export function schemaKey(options: string, text: string): string {
  return crypto.createHash("sha256").update(options).update(text).digest("hex");
}

function cacheFile(cacheDir: string, hash: string): string {
  return path.join(cacheDir, "validators", `${hash}.cjs`);
}

function loadFromDisk(cacheDir: string, hash: string): Compiled | undefined {
  const file = cacheFile(cacheDir, hash);
  if (!fs.existsSync(file)) return undefined;
  try {
    return { ok: true, validate: (codeCaches ? requireWithCodeCache(file) : require(file)) as ValidateFunction };
  } catch {
    return undefined; // a damaged cache entry is recompiled
  }
}

function compileAndStore(schemaText: string, cacheDir: string, hash: string, share: boolean): Compiled {
  let schema: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(schemaText);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return { ok: false, reason: "schema is not a JSON object" };
    schema = { ...(parsed as Record<string, unknown>) };
  } catch (err) {
    return { ok: false, reason: `schema is not valid JSON: ${(err as Error).message}` };
  }
  const assertFormats = assertsFormats(schema.$schema);
  const shareable = share && canShareSubschemas(schemaText, "$schema" in schema);
  delete schema.$schema; // the meta-schema is not ours to fetch; validity of the schema is not checked
  let instance: Ajv;
  let validate: ValidateFunction;
  try {
    if (shareable) {
      const shared = sharedInstance(assertFormats);
      instance = shared.ajv;
      const root = shareSubschemas(schema, (id, sub) => {
        if (shared.known.has(id)) return;
        instance.addSchema({ ...sub, $id: id });
        shared.known.add(id);
      });
      validate = instance.compile(root);
    } else {
      instance = newAjv(assertFormats);
      validate = instance.compile(schema);
    }
  } catch (err) {
    return { ok: false, reason: `schema does not compile: ${(err as Error).message}` };
  }
  writeAtomically(cacheFile(cacheDir, hash), loadableCode(ajv().standaloneCode(instance, validate)));
  return { ok: true, validate };
}

type Ajv = InstanceType<AjvModule["default"]>;

function newAjv(assertFormats: boolean, shared = false): Ajv {
  const { ajvModule } = ajv();
  return new ajvModule.default({
    strict: false,
    allErrors: true,
    validateSchema: false,
    logger: false,
    validateFormats: assertFormats,
    formats: assertFormats ? AJV_FORMATS : {},
    // Shared subschemas stay functions of their own: inlined, each use would be generated again.
    // (Only then: a schema's own `$ref`s keep ajv's default, as their error paths depend on it.)
    ...(shared ? { inlineRefs: false } : {}),
    // With sharing also skip ajv's peephole pass over the generated code: -25% compile time, the
    // same checks (it folds constant conditions and drops unused names), no measurable slowdown.
    code: { source: true, ...(shared ? { optimize: false } : {}), formats: new ajvModule.Name(FORMATS_SLOT), regExp: patternEngine },
  });
}

/** Per thread, one instance for schemas that assert formats and one for those that don't. */
const sharedInstances = new Map<boolean, { ajv: Ajv; known: Set<string> }>();

function sharedInstance(assertFormats: boolean): { ajv: Ajv; known: Set<string> } {
  let shared = sharedInstances.get(assertFormats);
  if (!shared) {
    shared = { ajv: newAjv(assertFormats, true), known: new Set() };
    sharedInstances.set(assertFormats, shared);
  }
  return shared;
}

/**
 * v6 asserts `format` for drafts before 2019-09. No `$schema` means draft-04 (kubeconform's
 * default); `http://json-schema.org/schema#` means the latest draft, so formats are annotations.
 */
function assertsFormats(metaSchema: unknown): boolean {
  if (typeof metaSchema !== "string") return true;
  return !/json-schema\.org\/(schema|draft\/2019-09\/schema|draft\/2020-12\/schema)#?$/.test(metaSchema);
}

function writeAtomically(file: string, content: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch {
    // An unwritable cache only costs speed on the next run.
  }
}

/** ajv's standalone output with its runtime helpers required by absolute path, so the file loads from any folder. */
function loadableCode(code: string): string {
  return code.replace(/require\("ajv\/dist\/([^"]+)"\)/g, (_m, rest: string) => `require(${JSON.stringify(path.join(AJV_DIR, "dist", rest))})`);
}
