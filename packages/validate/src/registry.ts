// Finds and compiles the schema for a kind/apiVersion: the first location that has it wins, as in
// kubeconform's downloadSchema. A missing file, a 404 or a schema that does not parse or compile
// sends the search to the next location; any other failure is an error for the resource.
import type { ValidateFunction } from "ajv";
import { goUrlParseError } from "./formats.ts";
import { compileSchema, forgetCompiledInMemory, subschemaSharing } from "./perf/compile-cache.ts";
import { loadSchemaText, renderSchemaPath, type SchemaLocation } from "./schema-locations.ts";
const path = process.getBuiltinModule("node:path");

export type SchemaLookup =
  | { kind: "found"; validate: ValidateFunction; source: string }
  | { kind: "missing" }
  | { kind: "error"; message: string };

export interface RegistryOptions {
  locations: SchemaLocation[];
  kubernetesVersion: string;
  strict: boolean;
  /** Compiled validators. */
  cacheDir: string;
  /** kubeconform's -cache for downloaded schemas. */
  schemaCache?: string | undefined;
  insecureSkipTlsVerify?: boolean;
}

// Per thread, across calls: `npm run check` validates several overlays in one process. Keyed by the
// options' part of the key (made once per options object) and sharing, then by kind, then apiVersion:
// a JSON key built for every resource took a tenth of a large input's validation time.
interface Entry {
  promise: Promise<SchemaLookup>;
  /** Set once the lookup has finished, so validation need not wait on a settled promise. */
  value?: SchemaLookup;
}
const lookups = new Map<string, Map<string, Map<string, Entry>>>();

/** Forgets this thread's lookups and compiled validators; the disk cache is left as it is. */
export function forgetSchemas(): void {
  lookups.clear();
  forgetCompiledInMemory();
}

const optionKeys = new WeakMap<RegistryOptions, string>();

function entryOf(kind: string, apiVersion: string, options: RegistryOptions): Entry {
  let optionKey = optionKeys.get(options);
  if (optionKey === undefined) {
    optionKey = JSON.stringify([options.locations.map((l) => l.template), options.kubernetesVersion, options.strict, options.cacheDir, options.schemaCache]);
    optionKeys.set(options, optionKey);
  }
  if (subschemaSharing()) optionKey += " shared";
  let byKind = lookups.get(optionKey);
  if (!byKind) lookups.set(optionKey, (byKind = new Map()));
  let byVersion = byKind.get(kind);
  if (!byVersion) byKind.set(kind, (byVersion = new Map()));
  let entry = byVersion.get(apiVersion);
  if (!entry) {
    const created: Entry = { promise: searchLocations(kind, apiVersion, options) };
    created.promise.then((value) => (created.value = value), () => {});
    byVersion.set(apiVersion, (entry = created));
  }
  return entry;
}

export function lookupSchema(kind: string, apiVersion: string, options: RegistryOptions): Promise<SchemaLookup> {
  return entryOf(kind, apiVersion, options).promise;
}

/** The lookup's result when it has already finished, else undefined (then await lookupSchema). */
export function settledLookup(kind: string, apiVersion: string, options: RegistryOptions): SchemaLookup | undefined {
  return entryOf(kind, apiVersion, options).value;
}

async function searchLocations(kind: string, apiVersion: string, options: RegistryOptions): Promise<SchemaLookup> {
  for (const location of options.locations) {
    const schemaPath = renderSchemaPath(location, kind, apiVersion, options.kubernetesVersion, options.strict);
    // kubeconform's file loader parses the path as a URL: a kind with a control character or a `%` is that error
    const urlError = location.remote ? undefined : goUrlParseError(schemaPath);
    if (urlError) return { kind: "error", message: urlError };
    const text = await loadSchemaText(schemaPath, location.remote, options);
    if (text.found === "error") return { kind: "error", message: text.message };
    if (!text.found) continue;
    const compiled = compileSchema(text.text, options.cacheDir);
    if (!compiled.ok) continue;
    const source = location.remote ? text.source : "file://" + path.resolve(text.source);
    return { kind: "found", validate: compiled.validate, source };
  }
  return { kind: "missing" };
}
