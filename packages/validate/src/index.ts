// The programmatic API: validate in-memory documents or paths (files, directories, `-` for stdin),
// streaming results in input order to a callback, or collected into a kubeconform-shaped report.
// Defaults are kubeconform's (its default schema location, Kubernetes master, not strict); the
// caller chooses schema folders and caches. Compiled validators stay in memory between calls.
import type { Stats } from "node:fs";
import { documentsOf, fdReader, discoverInputs, describeFsError, splitDocuments, wholeBuffer, type Chunk, type InputSource, type Reader } from "./reader.ts";
import type { Job } from "./resource.ts";
import { checkKubernetesVersion, isReachable, KUBERNETES_JSON_SCHEMA_LAYOUT, parseSchemaLocation, type SchemaLocation } from "./schema-locations.ts";
import type { ValidatorOptions } from "./validator.ts";
import { availableThreads, Scheduler, type Running } from "./perf/workers.ts";
import { InputError } from "./errors.ts";
import { summarize, type InputDocument, type ResourceResult, type ValidateOptions, type ValidationReport } from "./types.ts";
const fs = process.getBuiltinModule("node:fs");
const os = process.getBuiltinModule("node:os");
const path = process.getBuiltinModule("node:path");

/** kubeconform's defaults. */
export const DEFAULT_KUBERNETES_VERSION = "master";
export const DEFAULT_SCHEMA_LOCATIONS: readonly string[] = ["default"];
/** Compiled validators (ajv standalone code) are kept here unless the caller says otherwise. */
export const DEFAULT_CACHE_DIR = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "kubeconform-node");
export type { ValidateOptions, ValidationReport, InputDocument, ResourceResult, FieldError, Status, Summary, FallbackValidators } from "./types.ts";
export { InputError, UsageError } from "./errors.ts";
export { formatReport, newOutput, OUTPUT_FORMATS, type OutputFormat, type Output } from "./output.ts";
export { parseSchemaLocation, CRDS_CATALOG_LAYOUT, KUBERNETES_JSON_SCHEMA_LAYOUT, schemaCachePath } from "./schema-locations.ts";
export { splitDocuments, wholeBuffer, type Reader } from "./reader.ts";
export { forgetSchemas } from "./registry.ts";

export function resolveOptions(partial: Partial<ValidateOptions> = {}): ValidateOptions {
  const options: ValidateOptions = {
    schemaLocations: partial.schemaLocations?.length ? partial.schemaLocations : [...DEFAULT_SCHEMA_LOCATIONS],
    kubernetesVersion: partial.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    strict: partial.strict ?? false,
    skipKinds: partial.skipKinds ?? [],
    rejectKinds: partial.rejectKinds ?? [],
    ignoreMissingSchemas: partial.ignoreMissingSchemas ?? false,
    workers: partial.workers ?? availableThreads(),
    cacheDir: partial.cacheDir ?? DEFAULT_CACHE_DIR,
  };
  if (partial.schemaCache) options.schemaCache = partial.schemaCache;
  if (partial.insecureSkipTlsVerify) options.insecureSkipTlsVerify = true;
  if (partial.exitOnError) options.exitOnError = true;
  if (partial.fallback) options.fallback = partial.fallback;
  if (partial.annotate) options.annotate = partial.annotate;
  checkKubernetesVersion(options.kubernetesVersion);
  options.schemaLocations.forEach(parseSchemaLocation); // bad templates fail before any work
  if (options.schemaCache) {
    // kubeconform's registry.New: the cache folder must exist
    let stat: Stats;
    try {
      stat = fs.statSync(options.schemaCache);
    } catch (err) {
      throw new InputError(`failed opening cache folder ${options.schemaCache}: stat ${options.schemaCache}: ${describeFsError(err)}`);
    }
    if (!stat.isDirectory()) throw new InputError(`cache folder ${options.schemaCache} is not a directory`);
  }
  return options;
}

/** Batches that may wait, finished, behind one still on the worker before the main thread waits too. */
const MAX_PENDING_BATCHES = 8;

/** Where documents come from: in-memory text, or paths to walk (`-` is stdin). */
export type Input =
  | { documents: readonly InputDocument[] }
  /** `stdin` replaces file descriptor 0 (tests, embedding). */
  | { paths: readonly string[]; ignoreFilenamePatterns?: readonly RegExp[]; stdin?: Reader };

export interface StreamOutcome {
  /** The only input was standard input (kubeconform's "found parsing stdin"). */
  stdin: boolean;
  /** Plain-language notes for stderr (a schema folder without this version's folder, …). */
  notices: string[];
  /** An invalid or error result was seen. */
  failed: boolean;
  /** Threads started: 2 when the input was large enough to start a worker (see perf/workers.ts), 1 otherwise. */
  threads: number;
}

/**
 * Validates `input`, calling `onResult` for each result in input order as soon as it is known.
 * Memory is bounded by a few batches of documents, whatever the input's size.
 */
export async function validateStream(input: Input, partial: Partial<ValidateOptions>, onResult: (result: ResourceResult) => void): Promise<StreamOutcome> {
  const options = resolveOptions(partial);
  const notices = options.fallback ? [] : missingVersionFolders(options.schemaLocations.map(parseSchemaLocation), options);
  const stdin = "paths" in input && (input.paths.length === 0 || (input.paths.length === 1 && input.paths[0] === "-"));
  const scheduler = new Scheduler(validatorOptions(options), options.fallback ? 1 : options.workers, options.fallback);
  const pending: (Running & { jobs: Job[]; settled: boolean })[] = [];
  let failed = false;
  let stopped = false;
  const emit = (result: ResourceResult) => {
    if (stopped) return;
    onResult(result);
    if (result.status === "statusInvalid" || result.status === "statusError") {
      failed = true;
      if (options.exitOnError) stopped = true;
    }
  };
  /**
   * Emits finished batches in input order. The oldest batch, when it is still on the worker, is
   * waited for only when `all` is set or too many batches wait behind it: meanwhile the main thread
   * reads and validates on.
   */
  const drain = async (all: boolean) => {
    while (pending.length > 0 && !stopped) {
      const head = pending[0]!;
      if (!head.settled && !all && pending.length <= MAX_PENDING_BATCHES) return;
      const perJob = await head.promise;
      pending.shift();
      perJob.forEach((results, i) => {
        if (options.annotate) options.annotate(results, head.jobs[i]!.text);
        results.forEach(emit);
      });
    }
  };
  let batch: Job[] = [];
  let batchBytes = 0;
  let seenBytes = 0;
  const send = async () => {
    if (batch.length === 0) return;
    // the texts are kept here only for `annotate` (the scheduler holds a batch sent to the worker until it replies,
    // to validate it on this thread if the worker fails)
    const running = { ...scheduler.run(batch, !options.annotate), jobs: options.annotate ? batch : [], settled: false };
    // (a failure is the caller's: drain awaits the same promise and throws it)
    const settle = () => (running.settled = true);
    void running.promise.then(settle, settle);
    pending.push(running);
    batch = [];
    batchBytes = 0;
    // A batch on this thread is finished before more is read: one batch's documents alive at a time.
    if (!running.remote) await running.promise;
    await drain(false);
    // let the worker's messages (its start-up, its replies) in: validation alone never yields
    if (scheduler.parallel) await new Promise(setImmediate);
  };
  /** A result known without validation (a file error) keeps its place in the order. */
  const direct = async (result: ResourceResult) => {
    await send();
    await drain(true);
    emit(result);
  };
  const add = async (filename: string, chunk: Chunk) => {
    batch.push({ filename, text: chunk.text, index: chunk.index, line: chunk.line, ...(chunk.decodeError ? { decodeError: chunk.decodeError } : {}) });
    batchBytes += chunk.text.length;
    seenBytes += chunk.text.length;
    scheduler.sawBytes(seenBytes);
    if (batchBytes >= scheduler.batchBytes) await send();
  };
  try {
    if ("documents" in input) {
      scheduler.plan(input.documents.reduce((n, d) => n + d.content.length, 0));
      for (const doc of input.documents) {
        if (doc.error !== undefined) {
          await direct(fileError(doc.filename, doc.error));
          continue;
        }
        const chunks = splitDocuments(doc.content);
        if (chunks.length === 0) chunks.push({ text: "", index: 1, line: 1 }); // an empty file still counts as a file
        for (const chunk of chunks) await add(doc.filename, chunk);
        if (stopped) break;
      }
    } else if (stdin) {
      // kubeconform's FromStream: zero-length documents are kept (reported empty)
      for (const chunk of documentsOf(input.stdin ?? fdReader(0))) {
        await add("stdin", chunk);
        if (stopped) break;
      }
    } else {
      // The files are found first (kubeconform's search stops at the first unreadable path): their
      // sizes decide the threads before anything is read.
      const sources: InputSource[] = [];
      for (const source of discoverInputs(input.paths, input.ignoreFilenamePatterns ?? [])) {
        sources.push(source);
        if (source.kind === "unreadable") break;
      }
      if (!sources.some((s) => s.kind === "stdin")) scheduler.plan(sources.reduce((n, s) => n + (s.kind === "file" ? s.size : 0), 0));
      for (const source of sources) {
        if (source.kind === "unreadable") {
          // kubeconform's DiscoveryError: reported, and the search for more input stops
          await direct(fileError(source.path, source.reason));
          break;
        }
        if (source.kind === "stdin") {
          for (const chunk of documentsOf(input.stdin ?? fdReader(0))) await add("stdin", chunk);
          continue;
        }
        const error = await readFile(source.path, (chunk) => add(source.path, chunk));
        if (error) {
          await direct(fileError(source.path, error));
          break;
        }
        if (stopped) break;
      }
    }
    await send();
    await drain(true);
  } finally {
    scheduler.close();
  }
  return { stdin, notices, failed, threads: scheduler.launched ? 2 : 1 };
}

/** Streams one file's documents; an empty file still yields one (empty) document. Returns a read error. */
async function readFile(file: string, onChunk: (chunk: Chunk) => Promise<void>): Promise<string | undefined> {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (err) {
    return `open ${file}: ${describeFsError(err)}`;
  }
  let count = 0;
  try {
    for (const chunk of documentsOf(fdReader(fd))) {
      if (chunk.empty) continue; // kubeconform skips zero-length documents in files
      count++;
      await onChunk(chunk);
    }
  } catch (err) {
    return err instanceof Error && /token too long/.test(err.message) ? err.message : `read ${file}: ${describeFsError(err)}`;
  } finally {
    fs.closeSync(fd);
  }
  if (count === 0) await onChunk({ text: "", index: 1, line: 1 });
  return undefined;
}

/** Collects a whole report (the API most callers want; the CLI streams instead). */
async function collect(input: Input, partial: Partial<ValidateOptions>): Promise<ValidationReport> {
  const resources: ResourceResult[] = [];
  const outcome = await validateStream(input, partial, (r) => resources.push(r));
  return {
    resources,
    summary: summarize(resources),
    files: new Set(resources.map((r) => r.filename)).size,
    stdin: outcome.stdin,
    notices: outcome.notices,
    engine: partial.fallback ? "fallback" : "schemas",
  };
}

/** Validates in-memory YAML/JSON, e.g. rendered overlays. */
export function validateDocuments(inputs: readonly InputDocument[], partial: Partial<ValidateOptions> = {}): Promise<ValidationReport> {
  return collect({ documents: inputs }, partial);
}

/** Validates files, directories (recursively) and `-` for standard input. */
export function validatePaths(paths: readonly string[], partial: Partial<ValidateOptions> = {}, ignoreFilenamePatterns: readonly RegExp[] = []): Promise<ValidationReport> {
  return collect({ paths, ignoreFilenamePatterns }, partial);
}

/** Whole-buffer splitting for callers holding bytes (e.g. a test's invalid UTF-8). */
export function documentsOfBytes(bytes: Buffer): Chunk[] {
  return [...documentsOf(wholeBuffer(bytes))].filter((c) => !c.empty);
}

/**
 * kubeconform's best-known pitfall: a directory location without the folder for this version and
 * strictness finds no schema at all. Say so once (stderr) instead of leaving only per-resource errors.
 */
function missingVersionFolders(locations: readonly SchemaLocation[], options: ValidateOptions): string[] {
  const folder = `${options.kubernetesVersion === "master" ? "master" : "v" + options.kubernetesVersion}-standalone${options.strict ? "-strict" : ""}`;
  return locations
    .filter((l) => !l.remote && l.template.endsWith(KUBERNETES_JSON_SCHEMA_LAYOUT) && isReachable({ ...l, template: l.given + "/x" }))
    .filter((l) => !fs.existsSync(path.join(l.given, folder)))
    .map((l) => `${l.given} has no ${folder}/ folder: Kubernetes resources will have no schema` + (options.strict ? "" : " (without -strict kubeconform looks for the non-strict variant)"));
}

function validatorOptions(options: ValidateOptions): ValidatorOptions {
  const { workers: _workers, fallback: _fallback, exitOnError: _exitOnError, annotate: _annotate, ...rest } = options;
  return rest;
}

function fileError(filename: string, reason: string): ResourceResult {
  return { filename, kind: "", name: "", namespace: "", version: "", status: "statusError", msg: reason, documentIndex: 0 };
}
