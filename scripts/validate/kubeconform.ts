// --engine kubeconform: run a kubeconform binary with the equivalent flags and map its JSON output
// (always requested with -verbose -summary, so every verdict comes back) into our report.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { InputError } from "../lib/cli.ts";
import { loadEnvironments } from "../lib/overlays.ts";
import { renderOverlay } from "../lib/render.ts";
import { OVERLAYS_DIR, relativeToRepo } from "../lib/paths.ts";
import type { CliRequest } from "./cli-options.ts";
import { resolveOptions } from "./engine.ts";
import type { FieldError, ResourceResult, Status, ValidateOptions, ValidationReport } from "./types.ts";

export function kubeconformBinary(): string {
  return process.env.KUBECONFORM || "kubeconform";
}

/** Our options as kubeconform flags. */
export function kubeconformArgs(options: ValidateOptions, ignoreFilenamePatterns: readonly RegExp[] = []): string[] {
  const args: string[] = [];
  for (const location of options.schemaLocations) args.push("-schema-location", location);
  args.push("-kubernetes-version", options.kubernetesVersion);
  if (options.strict) args.push("-strict");
  if (options.ignoreMissingSchemas) args.push("-ignore-missing-schemas");
  if (options.skipKinds.length) args.push("-skip", options.skipKinds.join(","));
  if (options.rejectKinds.length) args.push("-reject", options.rejectKinds.join(","));
  for (const pattern of ignoreFilenamePatterns) args.push("-ignore-filename-pattern", pattern.source);
  args.push("-n", String(options.workers), "-output", "json", "-summary", "-verbose");
  return args;
}

export async function validateWithKubeconform(request: CliRequest): Promise<ValidationReport> {
  const options = resolveOptions(request.options);
  const args = kubeconformArgs(options, request.ignoreFilenamePatterns);
  if (request.paths.length > 0) {
    const stdin = request.paths.length === 1 && request.paths[0] === "-";
    return mapKubeconformJson(runKubeconform([...args, ...request.paths]), stdin);
  }
  return validateOverlaysWithKubeconform(args);
}

async function validateOverlaysWithKubeconform(args: string[]): Promise<ValidationReport> {
  const envs = loadEnvironments();
  if (envs.size === 0) throw new InputError(`no overlays to validate under ${relativeToRepo(OVERLAYS_DIR)}/`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-validate-"));
  try {
    const files = new Map<string, string>();
    for (const [env, settings] of envs) {
      const file = path.join(dir, `${env}.yaml`);
      fs.writeFileSync(file, (await renderOverlay(env, settings)).yaml);
      files.set(file, relativeToRepo(path.join(OVERLAYS_DIR, env)));
    }
    const report = mapKubeconformJson(runKubeconform([...args, ...files.keys()]), false);
    for (const r of report.resources) r.filename = files.get(r.filename) ?? r.filename;
    return report;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function runKubeconform(args: string[]): string {
  const binary = kubeconformBinary();
  const run = spawnSync(binary, args, { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["inherit", "pipe", "pipe"] });
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new InputError(missing ? `cannot run ${binary}: not installed` : `cannot run ${binary}: ${run.error.message}`, {
      expected: missing ? "kubeconform on PATH or KUBECONFORM=/path/to/kubeconform" : undefined,
    });
  }
  if (run.status !== 0 && run.status !== 1) {
    throw new InputError(`kubeconform exited with ${run.status}: ${(run.stderr || run.stdout).trim().split("\n")[0]}`);
  }
  return run.stdout;
}

interface KubeconformJson {
  resources?: { filename?: string; kind?: string; name?: string; version?: string; status?: string; msg?: string; validationErrors?: FieldError[] }[];
  summary?: { valid?: number; invalid?: number; errors?: number; skipped?: number };
}

const STATUSES: readonly Status[] = ["statusValid", "statusInvalid", "statusError", "statusSkipped"];

/** kubeconform's JSON (v0.6+: statusValid…; older releases wrote VALID…) as our report. */
export function mapKubeconformJson(stdout: string, stdin: boolean): ValidationReport {
  let parsed: KubeconformJson;
  try {
    parsed = JSON.parse(stdout) as KubeconformJson;
  } catch {
    throw new InputError(`kubeconform did not print JSON: ${stdout.trim().split("\n")[0] ?? ""}`);
  }
  const resources: ResourceResult[] = (parsed.resources ?? []).map((r) => {
    const result: ResourceResult = {
      filename: r.filename ?? "",
      kind: r.kind ?? "",
      name: r.name ?? "",
      namespace: "",
      version: r.version ?? "",
      status: toStatus(r.status),
      msg: r.msg ?? "",
      documentIndex: 0,
    };
    if (r.validationErrors?.length) result.validationErrors = r.validationErrors.map((e) => ({ path: e.path, msg: e.msg }));
    return result;
  });
  const s = parsed.summary ?? {};
  return {
    resources,
    summary: { valid: s.valid ?? 0, invalid: s.invalid ?? 0, errors: s.errors ?? 0, skipped: s.skipped ?? 0 },
    files: new Set(resources.map((r) => r.filename)).size,
    stdin,
    notices: [`validated by ${kubeconformBinary()}`],
    engine: "kubeconform",
  };
}

function toStatus(status: string | undefined): Status {
  if (status && (STATUSES as readonly string[]).includes(status)) return status as Status;
  const legacy: Record<string, Status> = { VALID: "statusValid", INVALID: "statusInvalid", ERROR: "statusError", SKIPPED: "statusSkipped" };
  return legacy[status ?? ""] ?? "statusError";
}
