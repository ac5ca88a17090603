// Benchmark: a 10,000-resource corpus with unique names built from rendered overlay YAML, validated
// cold (empty validator cache), warm, in-process, and by kubeconform when one is installed.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import yaml from "js-yaml";
import { loadEnvironments } from "../lib/overlays.ts";
import { renderOverlays } from "../lib/render.ts";
import { REPO_ROOT } from "../lib/paths.ts";
import { validatePaths } from "./engine.ts";
import { kubeconformBinary } from "./kubeconform.ts";
import { splitDocuments } from "@mcp-stack/validate";
import { projectSchemaLocations } from "./engine.ts";

export interface Timing {
  name: string;
  ms: number;
}

export interface Corpus {
  files: string[];
  resources: number;
  bytes: number;
}

const RESOURCES_PER_FILE = 100;

/**
 * Writes `targetCount` resources to `outDir`, cycling through the documents of `renderedYaml`
 * and giving each copy a unique name (`<name>-<copy>`), 100 resources per file.
 */
export function buildCorpus(targetCount: number, outDir: string, renderedYaml: readonly string[]): Corpus {
  const templates = renderedYaml.flatMap((text) =>
    splitDocuments(text)
      .map((chunk) => yaml.load(chunk.text))
      .filter((doc): doc is Record<string, unknown> => doc !== null && typeof doc === "object" && !Array.isArray(doc)),
  );
  if (templates.length === 0) throw new Error("buildCorpus: the rendered YAML holds no resources");
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  for (let start = 0; start < targetCount; start += RESOURCES_PER_FILE) {
    const docs: string[] = [];
    for (let n = start; n < Math.min(start + RESOURCES_PER_FILE, targetCount); n++) {
      docs.push(yaml.dump(withUniqueName(templates[n % templates.length]!, Math.floor(n / templates.length)), { lineWidth: -1 }));
    }
    const file = path.join(outDir, `corpus-${String(files.length).padStart(4, "0")}.yaml`);
    const text = docs.join("---\n");
    fs.writeFileSync(file, text);
    files.push(file);
    bytes += Buffer.byteLength(text);
  }
  return { files, resources: targetCount, bytes };
}

function withUniqueName(doc: Record<string, unknown>, copy: number): Record<string, unknown> {
  const metadata = (doc.metadata ?? {}) as Record<string, unknown>;
  return { ...doc, metadata: { ...metadata, name: `${String(metadata.name ?? "resource")}-${copy}` } };
}

export interface BenchOptions {
  /** Passes of each measurement; the best is reported. */
  repeat?: number;
  /** kubeconform binary; skipped when it cannot be run. */
  kubeconform?: string;
}

/** Times `npm run validate` (as node + tsx) cold and warm, in-process, and kubeconform -n 2. */
export async function benchValidate(corpus: string[] | string, opts: BenchOptions = {}): Promise<Timing[]> {
  const targets = typeof corpus === "string" ? [corpus] : corpus;
  const repeat = opts.repeat ?? 3;
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-validate-bench-"));
  const cli = [process.execPath, path.join(REPO_ROOT, "scripts/validate.ts"), "-summary", ...targets];
  const env = { ...process.env, MCP_STACK_CACHE: cacheDir };
  const timings: Timing[] = [];
  try {
    timings.push({ name: "validate, cold (no validator cache)", ms: timeCommand(cli, env) });
    timings.push({ name: "validate, warm", ms: best(repeat, () => timeCommand(cli, env)) });
    await validatePaths(targets, { cacheDir }); // load validators into this process first
    timings.push({ name: "validatePaths in-process, warm", ms: await bestAsync(repeat, async () => timeAsync(() => validatePaths(targets, { cacheDir }))) });
    const kubeconform = opts.kubeconform ?? kubeconformBinary();
    if (canRun(kubeconform)) {
      const [k8s, crds] = projectSchemaLocations();
      const args = [kubeconform, "-n", "2", "-strict", "-summary", "-kubernetes-version", "1.36.2", "-schema-location", k8s!, "-schema-location", crds!, ...targets];
      timings.push({ name: "kubeconform -n 2", ms: best(repeat, () => timeCommand(args, process.env)) });
    }
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
  return timings;
}

function timeCommand([command, ...args]: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const run = spawnSync(command!, args, { env, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`${command} failed: ${run.stderr?.toString().trim()}`);
  return performance.now() - started;
}

async function timeAsync(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function best(times: number, measure: () => number): number {
  return Math.min(...Array.from({ length: times }, measure));
}

async function bestAsync(times: number, measure: () => Promise<number>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < times; i++) min = Math.min(min, await measure());
  return min;
}

function canRun(binary: string): boolean {
  return spawnSync(binary, ["-v"], { stdio: "ignore" }).status === 0;
}

/** Rendered overlays when there are any, else the stack fixture. */
export async function corpusSources(): Promise<string[]> {
  const envs = loadEnvironments();
  if (envs.size > 0) return (await renderOverlays(envs)).map((r) => r.yaml);
  return [fs.readFileSync(path.join(REPO_ROOT, "test/validate/fixtures/stack.yaml"), "utf8")];
}

// `tsx scripts/validate/bench.ts [count]` runs the benchmark on its own.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = Number(process.argv[2] ?? 10_000);
  const dir = path.join(os.tmpdir(), "mcp-validate-corpus");
  const started = performance.now();
  const corpus = buildCorpus(count, dir, await corpusSources());
  console.log(`corpus: ${corpus.resources} resources, ${corpus.files.length} files, ${(corpus.bytes / 1e6).toFixed(1)} MB (built in ${Math.round(performance.now() - started)} ms)`);
  for (const t of await benchValidate(dir)) console.log(`${t.name.padEnd(40)} ${(t.ms / 1000).toFixed(2)} s`);
}
