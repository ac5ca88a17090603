// Validation of a batch of documents on one thread: parse everything, look up the schemas the
// batch needs, then run the validators. Used by the main thread and by the worker alike.
import { fallbackValidator } from "./fallback.ts";
import { invalidMessage, fieldErrors } from "./messages.ts";
import { lookupSchema, type RegistryOptions } from "./registry.ts";
import { prepareDocument, resultFor, type Job, type Prepared, type Signature } from "./resources.ts";
import { parseSchemaLocation } from "./schema-locations.ts";
import type { FieldError, ResourceResult } from "./types.ts";

export interface ThreadOptions {
  schemaLocations: string[];
  kubernetesVersion: string;
  strict: boolean;
  skipKinds: string[];
  rejectKinds: string[];
  ignoreMissingSchemas: boolean;
  cacheDir: string;
  /** Validate with kubernetes-models instead of JSON schemas. */
  fallback: boolean;
}

function registryOptions(options: ThreadOptions): RegistryOptions {
  return {
    locations: options.schemaLocations.map(parseSchemaLocation),
    kubernetesVersion: options.kubernetesVersion,
    strict: options.strict,
    cacheDir: options.cacheDir,
  };
}

/** Compiles (or loads) the schemas for these kind/apiVersion pairs ahead of validation. */
export async function warmSchemas(pairs: readonly (readonly [string, string])[], options: ThreadOptions): Promise<void> {
  if (options.fallback) return;
  const registry = registryOptions(options);
  for (const [kind, apiVersion] of pairs) await lookupSchema(kind, apiVersion, registry);
}

/** One result list per job, in job order. */
export async function validateJobs(jobs: readonly Job[], options: ThreadOptions): Promise<ResourceResult[][]> {
  const registry = registryOptions(options);
  const skip = new Set(options.skipKinds);
  const reject = new Set(options.rejectKinds);
  const out: ResourceResult[][] = [];
  for (const job of jobs) {
    const results: ResourceResult[] = [];
    for (const prepared of prepareDocument(job, options.strict)) {
      results.push(await validatePrepared(prepared, options, registry, skip, reject));
    }
    out.push(results);
  }
  return out;
}

async function validatePrepared(
  prepared: Prepared,
  options: ThreadOptions,
  registry: RegistryOptions,
  skip: ReadonlySet<string>,
  reject: ReadonlySet<string>,
): Promise<ResourceResult> {
  if ("done" in prepared) return prepared.done;
  const { job, value, sig } = prepared;
  const gvk = `${sig.version}/${sig.kind}`;
  if (skip.has(gvk) || skip.has(sig.kind)) return resultFor(job, sig, "statusSkipped");
  if (reject.has(gvk) || reject.has(sig.kind)) return resultFor(job, sig, "statusError", `prohibited resource kind ${sig.kind}`);
  const missing = () =>
    options.ignoreMissingSchemas ? resultFor(job, sig, "statusSkipped") : resultFor(job, sig, "statusError", `could not find schema for ${sig.kind}`);

  if (options.fallback) {
    const model = fallbackValidator(sig.kind, sig.version);
    if (!model) return missing();
    return verdict(job, sig, model(value), `kubernetes-models:${sig.version}/${sig.kind}`);
  }
  const lookup = await lookupSchema(sig.kind, sig.version, registry);
  if (lookup.kind === "missing") return missing();
  if (lookup.kind === "error") return resultFor(job, sig, "statusError", lookup.message);
  if (lookup.validate(value)) return resultFor(job, sig, "statusValid");
  return verdict(job, sig, fieldErrors(lookup.validate.errors ?? [], value), lookup.source);
}

function verdict(job: Job, sig: Signature, errors: FieldError[], source: string): ResourceResult {
  if (errors.length === 0) return resultFor(job, sig, "statusValid");
  const result = resultFor(job, sig, "statusInvalid", invalidMessage(source, errors));
  result.validationErrors = errors;
  return result;
}
