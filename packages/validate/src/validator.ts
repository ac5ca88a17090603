// The validation core, as kubeconform's pkg/validator: a document's text becomes resources
// (resource.ts), each resource is skipped, rejected or checked against the schema the registry
// finds for its kind and apiVersion, and gets one Result. Used by the main thread and by workers.
import { invalidMessage, fieldErrors } from "./messages.ts";
import { lookupSchema, settledLookup, type RegistryOptions, type SchemaLookup } from "./registry.ts";
import { prepareDocument, resultFor, type Job, type Prepared, type Signature } from "./resource.ts";
import { parseSchemaLocation } from "./schema-locations.ts";
import type { FieldError, FallbackValidators, ResourceResult, ValidateOptions } from "./types.ts";

/** What a thread needs: the options that can be posted to a worker (no functions, no scheduling). */
export type ValidatorOptions = Omit<ValidateOptions, "workers" | "fallback" | "exitOnError" | "annotate">;

function registryOptions(options: ValidatorOptions): RegistryOptions {
  return {
    locations: options.schemaLocations.map(parseSchemaLocation),
    kubernetesVersion: options.kubernetesVersion,
    strict: options.strict,
    cacheDir: options.cacheDir,
    schemaCache: options.schemaCache,
    insecureSkipTlsVerify: options.insecureSkipTlsVerify ?? false,
  };
}

// What validateJobs derives from the options, once per options object (a run has one; batches are small).
const contexts = new WeakMap<ValidatorOptions, { registry: RegistryOptions; skip: ReadonlySet<string>; reject: ReadonlySet<string> }>();

function contextOf(options: ValidatorOptions): { registry: RegistryOptions; skip: ReadonlySet<string>; reject: ReadonlySet<string> } {
  let context = contexts.get(options);
  if (!context) {
    context = { registry: registryOptions(options), skip: new Set(options.skipKinds), reject: new Set(options.rejectKinds) };
    contexts.set(options, context);
  }
  return context;
}

/** Compiles (or loads) the schemas for these kind/apiVersion pairs ahead of validation. */
export async function warmSchemas(pairs: readonly (readonly [string, string])[], options: ValidatorOptions): Promise<void> {
  const { registry } = contextOf(options);
  for (const [kind, apiVersion] of pairs) await lookupSchema(kind, apiVersion, registry);
}

/**
 * One result list per job (a document; a List gives one result per item), in job order. A
 * `consume`d array has each job taken out as it is validated, so a batch's texts die young.
 */
export async function validateJobs(jobs: (Job | undefined)[] | readonly Job[], options: ValidatorOptions, fallback?: FallbackValidators, consume = false): Promise<ResourceResult[][]> {
  const { registry, skip, reject } = contextOf(options);
  const out: ResourceResult[][] = [];
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    if (consume) (jobs as (Job | undefined)[])[i] = undefined;
    const results: ResourceResult[] = [];
    for (const prepared of prepareDocument(job, options.strict, options.ignoreMissingSchemas)) {
      let result = checkResource(prepared, options, skip, reject, fallback);
      if (result === undefined) {
        // its schema is looked up: awaited only the first time (later resources of the kind find it settled)
        const { sig } = prepared as Exclude<Prepared, { done: ResourceResult }>;
        const lookup = settledLookup(sig.kind, sig.version, registry) ?? (await lookupSchema(sig.kind, sig.version, registry));
        result = withSchema(prepared as Exclude<Prepared, { done: ResourceResult }>, lookup, options);
      }
      results.push(result);
    }
    out.push(results);
  }
  return out;
}

/** The verdict when no schema is needed (done, skipped, rejected, a fallback validator); undefined when one is. */
function checkResource(
  prepared: Prepared,
  options: ValidatorOptions,
  skip: ReadonlySet<string>,
  reject: ReadonlySet<string>,
  fallback: FallbackValidators | undefined,
): ResourceResult | undefined {
  if ("done" in prepared) return prepared.done;
  const { job, value, sig } = prepared;
  const gvk = `${sig.version}/${sig.kind}`;
  if (skip.has(gvk) || skip.has(sig.kind)) return resultFor(job, sig, "statusSkipped");
  if (reject.has(gvk) || reject.has(sig.kind)) return resultFor(job, sig, "statusError", `prohibited resource kind ${sig.kind}`);
  if (!fallback) return undefined;
  const model = fallback.lookup(sig.kind, sig.version);
  if (!model) return missing(prepared, options);
  return verdict(job, sig, model(value), `${fallback.name}:${sig.version}/${sig.kind}`);
}

function missing({ job, sig }: Exclude<Prepared, { done: ResourceResult }>, options: ValidatorOptions): ResourceResult {
  return options.ignoreMissingSchemas ? resultFor(job, sig, "statusSkipped") : resultFor(job, sig, "statusError", `could not find schema for ${sig.kind}`);
}

function withSchema(prepared: Exclude<Prepared, { done: ResourceResult }>, lookup: SchemaLookup, options: ValidatorOptions): ResourceResult {
  const { job, value, sig } = prepared;
  if (lookup.kind === "missing") return missing(prepared, options);
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
