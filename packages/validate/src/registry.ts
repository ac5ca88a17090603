// Finds and compiles the schema for a kind/apiVersion: the first location that has it wins, as in
// kubeconform's downloadSchema. A missing file, a 404 or a schema that does not parse or compile
// sends the search to the next location; any other failure is an error for the resource.
import path from "node:path";
import type { ValidateFunction } from "ajv";
import { goUrlParseError } from "./formats.ts";
import { compileSchema, forgetCompiledInMemory, subschemaSharing } from "./perf/compile-cache.ts";
import { loadSchemaText, renderSchemaPath, type SchemaLocation } from "./schema-locations.ts";

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

// Per thread, across calls: `npm run check` validates several overlays in one process.
const lookups = new Map<string, Promise<SchemaLookup>>();

/** Forgets this thread's lookups and compiled validators; the disk cache is left as it is. */
export function forgetSchemas(): void {
  lookups.clear();
  forgetCompiledInMemory();
}

// The part of a lookup's key that depends on the options, made once per options object (it was
// made again for every resource).
const optionKeys = new WeakMap<RegistryOptions, string>();

export function lookupSchema(kind: string, apiVersion: string, options: RegistryOptions): Promise<SchemaLookup> {
  let optionKey = optionKeys.get(options);
  if (optionKey === undefined) {
    optionKey = JSON.stringify([options.locations.map((l) => l.template), options.kubernetesVersion, options.strict, options.cacheDir, options.schemaCache]);
    optionKeys.set(options, optionKey);
  }
  // The option key is JSON already: appended, not quoted again for every resource.
  const key = optionKey + JSON.stringify([subschemaSharing(), kind, apiVersion]);
  let lookup = lookups.get(key);
  if (!lookup) {
    lookup = searchLocations(kind, apiVersion, options);
    lookups.set(key, lookup);
  }
  return lookup;
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
