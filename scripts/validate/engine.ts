// The programmatic API: validate documents, paths or the rendered overlays, get a kubeconform-shaped
// report. Compiled validators stay in memory between calls, so `npm run check` pays for them once.
import fs from "node:fs";
import path from "node:path";
import { InputError } from "../lib/cli.ts";
import { listOverlays } from "../lib/overlays.ts";
import { renderOverlay } from "../render.ts";
import { CACHE_DIR, relativeToRepo, OVERLAYS_DIR } from "../lib/paths.ts";
import { FALLBACK_NOTICE } from "./fallback.ts";
import { discoverInputs, readManifestFile, readStdin, splitDocuments, type FileContent } from "./reader.ts";
import type { Job } from "./resources.ts";
import {
  checkKubernetesVersion,
  defaultSchemaLocations,
  isReachable,
  KUBERNETES_JSON_SCHEMA_LAYOUT,
  parseSchemaLocation,
  type SchemaLocation,
} from "./schema-locations.ts";
import type { ThreadOptions } from "./thread.ts";
import { availableThreads, validateInParallel } from "./workers.ts";
import { addSemanticProblems } from "./semantic/report.ts";
import { summarize, type InputDocument, type ResourceResult, type ValidateOptions, type ValidationReport } from "./types.ts";

export const DEFAULT_KUBERNETES_VERSION = "1.36.2";
export type { ValidateOptions, ValidationReport, InputDocument, ResourceResult } from "./types.ts";

export function resolveOptions(partial: Partial<ValidateOptions> = {}): ValidateOptions {
  const options: ValidateOptions = {
    schemaLocations: partial.schemaLocations?.length ? partial.schemaLocations : defaultSchemaLocations(),
    kubernetesVersion: partial.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    strict: partial.strict ?? true,
    skipKinds: partial.skipKinds ?? [],
    rejectKinds: partial.rejectKinds ?? [],
    ignoreMissingSchemas: partial.ignoreMissingSchemas ?? false,
    workers: partial.workers ?? availableThreads(),
    cacheDir: partial.cacheDir ?? CACHE_DIR,
    semantic: partial.semantic ?? false,
  };
  checkKubernetesVersion(options.kubernetesVersion);
  options.schemaLocations.forEach(parseSchemaLocation); // bad templates fail before any work
  return options;
}

/** Validates in-memory YAML/JSON, e.g. rendered overlays. */
export async function validateDocuments(inputs: readonly InputDocument[], partial: Partial<ValidateOptions> = {}): Promise<ValidationReport> {
  const options = resolveOptions(partial);
  const slots = inputs.map((input) => ({ filename: input.filename, content: { ok: true, content: input.content } as FileContent }));
  return run(slots, options, false, []);
}

/** Validates files, directories (recursively) and `-` for standard input. */
export async function validatePaths(
  paths: readonly string[],
  partial: Partial<ValidateOptions> = {},
  ignoreFilenamePatterns: readonly RegExp[] = [],
): Promise<ValidationReport> {
  const options = resolveOptions(partial);
  const notices: string[] = [];
  const slots: Slot[] = [];
  const ignored = (p: string) => ignoreFilenamePatterns.some((re) => re.test(p));
  const sources = discoverInputs(paths).filter((s) => s.kind === "stdin" || !ignored(s.path));
  for (const source of sources) {
    if (source.kind === "stdin") slots.push({ filename: "stdin", content: readStdin() });
    else if (source.kind === "file") slots.push({ filename: source.path, content: readManifestFile(source.path) });
    else if (source.kind === "unreadable") slots.push({ filename: source.path, content: { ok: false, reason: source.reason } });
    else notices.push(`${source.path}: ${source.reason}, ignored`);
  }
  const stdinOnly = sources.length === 1 && sources[0]!.kind === "stdin";
  return run(slots, options, stdinOnly, notices);
}

/** Renders every overlay with kustomize and validates the output; a failed render is an error result. */
export async function validateOverlays(partial: Partial<ValidateOptions> = {}, overlaysRoot: string = OVERLAYS_DIR): Promise<ValidationReport> {
  const envs = listOverlays(overlaysRoot);
  if (envs.length === 0) {
    throw new InputError(`no overlays to validate under ${relativeToRepo(overlaysRoot)}/`, { expected: "a file, a directory or - for stdin" });
  }
  const slots: Slot[] = [];
  for (const env of envs) {
    const filename = relativeToRepo(path.join(overlaysRoot, env));
    try {
      slots.push({ filename, content: { ok: true, content: (await renderOverlay(env, overlaysRoot)).yaml } });
    } catch (err) {
      slots.push({ filename, content: { ok: false, reason: err instanceof InputError ? err.format() : String(err) } });
    }
  }
  return run(slots, resolveOptions(partial), false, []);
}

interface Slot {
  filename: string;
  content: FileContent;
}

async function run(slots: readonly Slot[], options: ValidateOptions, stdin: boolean, notices: string[]): Promise<ValidationReport> {
  const locations = options.schemaLocations.map(parseSchemaLocation);
  const fallback = !locations.some(isReachable);
  if (fallback) notices.push(FALLBACK_NOTICE);
  else notices.push(...missingVersionFolders(locations, options));
  const jobs: Job[] = [];
  const order: ({ result: ResourceResult } | { firstJob: number; jobCount: number })[] = [];
  for (const slot of slots) {
    if (!slot.content.ok) {
      order.push({ result: fileError(slot.filename, slot.content.reason) });
      continue;
    }
    const chunks = splitDocuments(slot.content.content);
    if (chunks.length === 0) chunks.push({ text: "", index: 1, line: 1 }); // an empty file still counts as a file
    order.push({ firstJob: jobs.length, jobCount: chunks.length });
    for (const chunk of chunks) jobs.push({ filename: slot.filename, ...chunk });
  }
  const perJob = await validateInParallel(jobs, threadOptions(options, fallback), options.workers);
  if (options.semantic) perJob.forEach((results, i) => addSemanticProblems(results, jobs[i]!.text));
  const resources = order.flatMap((entry) =>
    "result" in entry ? [entry.result] : perJob.slice(entry.firstJob, entry.firstJob + entry.jobCount).flat(),
  );
  return {
    resources,
    summary: summarize(resources),
    files: new Set(resources.map((r) => r.filename)).size,
    stdin,
    notices,
    engine: fallback ? "fallback" : "schemas",
  };
}

/**
 * kubeconform's best-known pitfall: a directory location without the folder for this version and
 * strictness finds no schema at all. Say so once instead of leaving only per-resource errors.
 */
function missingVersionFolders(locations: readonly SchemaLocation[], options: ValidateOptions): string[] {
  const folder = `${options.kubernetesVersion === "master" ? "master" : "v" + options.kubernetesVersion}-standalone${options.strict ? "-strict" : ""}`;
  return locations
    .filter((l) => !l.remote && l.template.endsWith(KUBERNETES_JSON_SCHEMA_LAYOUT) && isReachable({ ...l, template: l.given + "/x" }))
    .filter((l) => !fs.existsSync(path.join(l.given, folder)))
    .map((l) => `${l.given} has no ${folder}/ folder: Kubernetes resources will have no schema` + (options.strict ? "" : " (without --strict kubeconform looks for the non-strict variant)"));
}

function threadOptions(options: ValidateOptions, fallback: boolean): ThreadOptions {
  const { workers: _workers, semantic: _semantic, ...rest } = options;
  return { ...rest, fallback };
}

function fileError(filename: string, reason: string): ResourceResult {
  return { filename, kind: "", name: "", namespace: "", version: "", status: "statusError", msg: reason, documentIndex: 0 };
}
