// Benchmark of `npm run validate` against kubeconform (issue 17's targets): corpora with unique names
// built from rendered overlay YAML, each validated by both, wall time and peak memory.
import yaml from "js-yaml";
import { loadEnvironments } from "../lib/overlays.ts";
import { renderOverlays } from "../lib/render.ts";
import { REPO_ROOT } from "../lib/paths.ts";
import { npmScriptCommand } from "../lib/npm-script.ts";
import { kubeconformBinary } from "./kubeconform.ts";
import { splitDocuments } from "@mcp-stack/validate";
import { DEFAULT_KUBERNETES_VERSION } from "./defaults.ts";
import { defaultSchemaLocations } from "./schema-locations.ts";
const { spawnSync } = process.getBuiltinModule("node:child_process");
const fs = process.getBuiltinModule("node:fs");
const os = process.getBuiltinModule("node:os");
const path = process.getBuiltinModule("node:path");
const { pathToFileURL } = process.getBuiltinModule("node:url");

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
  /** Runs of each measurement; the best wall time is reported. */
  repeat?: number;
  /** kubeconform binary ($KUBECONFORM or PATH); the ratios are skipped when it cannot be run. */
  kubeconform?: string;
  /** Also the 200 MB single file (a minute or two for kubeconform). */
  big?: boolean;
  /** Written as rows are measured. */
  out?: (line: string) => void;
}

export interface BenchRow {
  input: string;
  oursMs: number;
  oursKb?: number;
  /** CPU time (user + system), the figure that varies least on a shared machine. */
  oursCpuMs?: number;
  kubeconformMs?: number;
  kubeconformKb?: number;
  kubeconformCpuMs?: number;
}

/** issue 17's targets: wall time ratio to kubeconform (and peak memory at 10,000 and 200 MB: at most 2x). */
export const TARGETS: Record<string, number> = { "one overlay render (eks)": 0.5, "1,000 resources": 0.5, "10,000 resources": 0.5, "50,000 resources": 0.3 };

interface Measured {
  ms: number;
  kb?: number;
  cpuMs?: number;
}

/** A run's wall time and, through /usr/bin/time when present, its peak resident memory and CPU time. */
function measure([command, ...args]: string[], env: NodeJS.ProcessEnv): Measured {
  const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
  const rssFile = path.join(os.tmpdir(), `validate-bench-rss-${process.pid}`);
  const argv = timeBin ? [timeBin, "-f", "%M %U %S", "-o", rssFile, command!, ...args] : [command!, ...args];
  const started = performance.now();
  const run = spawnSync(argv[0]!, argv.slice(1), { env, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 28 });
  const ms = performance.now() - started;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${command} failed (${run.status}): ${run.stderr?.toString().trim().slice(0, 300)}`);
  if (!timeBin) return { ms };
  const [kb, user, sys] = fs.readFileSync(rssFile, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  return { ms, ...(kb ? { kb } : {}), ...(user !== undefined && sys !== undefined && !Number.isNaN(user + sys) ? { cpuMs: (user + sys) * 1000 } : {}) };
}

/**
 * `runs` runs of `first` and of `second`, taken in turn (first, second, first, …), so a change in the machine's speed
 * during a row falls on both sides of its ratio.
 */
export function alternate<T>(runs: number, first: () => T, second?: () => T): [T[], T[]] {
  const a: T[] = [];
  const b: T[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(first());
    if (second) b.push(second());
  }
  return [a, b];
}

/** The best wall time and the best CPU time of the runs, and the highest peak memory. */
function best(runs: Measured[]): Measured {
  const min = (values: (number | undefined)[]) => (values.every((v) => v !== undefined) ? Math.min(...(values as number[])) : undefined);
  const kb = runs.every((r) => r.kb !== undefined) ? Math.max(...runs.map((r) => r.kb!)) : undefined;
  const cpuMs = min(runs.map((r) => r.cpuMs));
  return { ms: min(runs.map((r) => r.ms))!, ...(kb !== undefined ? { kb } : {}), ...(cpuMs !== undefined ? { cpuMs } : {}) };
}

/**
 * `npm run validate` (node scripts/validate.ts -n 2 -summary, compiled validators warm) against
 * `kubeconform -n 2 -strict` with the same shipped schemas, on one overlay render, 1,000, 10,000 and
 * 50,000 resources and (with `big`) a 200 MB file.
 */
export async function benchValidate(renderedYaml: readonly string[], eksYaml: string, opts: BenchOptions = {}): Promise<BenchRow[]> {
  const repeat = opts.repeat ?? 3;
  const out = opts.out ?? (() => {});
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "validate-bench-"));
  const cacheDir = path.join(work, "cache");
  const env = { ...process.env, MCP_STACK_CACHE: cacheDir };
  const kubeconform = opts.kubeconform ?? kubeconformBinary();
  const haveKubeconform = spawnSync(kubeconform, ["-v"], { stdio: "ignore" }).status === 0;
  const [k8s, crds] = defaultSchemaLocations();
  const command = npmScriptCommand("validate");
  Object.assign(env, command.env);
  const ours = (target: string) => [...command.argv, "-n", "2", "-summary", target];
  const theirs = (target: string) => [kubeconform, "-n", "2", "-strict", "-summary", "-kubernetes-version", DEFAULT_KUBERNETES_VERSION, "-schema-location", k8s!, "-schema-location", crds!, target];
  const inputs: [string, string][] = [];
  try {
    const eks = path.join(work, "eks.yaml");
    fs.writeFileSync(eks, eksYaml);
    inputs.push(["one overlay render (eks)", eks]);
    for (const n of [1_000, 10_000, 50_000]) inputs.push([`${n.toLocaleString("en")} resources`, buildCorpus(n, path.join(work, `c${n}`), renderedYaml).files[0] ? path.join(work, `c${n}`) : ""]);
    if (opts.big) {
      const big = path.join(work, "big.yaml");
      const fd = fs.openSync(big, "w");
      for (let written = 0; written < 200 * 1024 * 1024; ) {
        for (const file of fs.readdirSync(path.join(work, "c50000"))) {
          const text = fs.readFileSync(path.join(work, "c50000", file));
          fs.writeSync(fd, text);
          fs.writeSync(fd, "\n---\n");
          written += text.length + 5;
        }
      }
      fs.closeSync(fd);
      inputs.push(["a 200 MB file", big]);
    }
    const cold = measure(ours(eks), env);
    out(`validate, cold (empty validator cache), one overlay render: ${(cold.ms / 1000).toFixed(2)} s`);
    out(`${"input".padEnd(26)} ${"validate".padStart(9)} ${"kubeconform".padStart(12)} ${"ratio".padStart(6)} ${"target".padStart(7)}  peak memory (ours / kubeconform)  cpu, user + system (ours / kubeconform)`);
    const rows: BenchRow[] = [];
    for (const [name, target] of inputs) {
      const runs = name.startsWith("a 200") ? 1 : repeat;
      const [myRuns, theirRuns] = alternate(runs, () => measure(ours(target), env), haveKubeconform ? () => measure(theirs(target), process.env) : undefined);
      const mine = best(myRuns);
      const row: BenchRow = { input: name, oursMs: mine.ms, ...(mine.kb ? { oursKb: mine.kb } : {}), ...(mine.cpuMs !== undefined ? { oursCpuMs: mine.cpuMs } : {}) };
      if (haveKubeconform) {
        const k = best(theirRuns);
        row.kubeconformMs = k.ms;
        if (k.kb) row.kubeconformKb = k.kb;
        if (k.cpuMs !== undefined) row.kubeconformCpuMs = k.cpuMs;
      }
      rows.push(row);
      out(formatRow(row));
    }
    if (!haveKubeconform) out(`(no kubeconform at ${kubeconform}: put it on PATH or set KUBECONFORM for the ratios)`);
    return rows;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export function formatRow(r: BenchRow): string {
  const s = (ms?: number) => (ms === undefined ? "-" : `${(ms / 1000).toFixed(2)} s`);
  const ratio = r.kubeconformMs ? r.oursMs / r.kubeconformMs : undefined;
  const target = TARGETS[r.input];
  const verdict = ratio !== undefined && target !== undefined ? (ratio <= target ? " ok" : " MISSED") : "";
  const mem = r.oursKb ? `${(r.oursKb / 1024).toFixed(0)} MB / ${r.kubeconformKb ? (r.kubeconformKb / 1024).toFixed(0) + " MB" : "-"}` : "-";
  const memRatio = r.oursKb && r.kubeconformKb ? ` (${(r.oursKb / r.kubeconformKb).toFixed(2)}x${r.input.startsWith("10,000") || r.input.startsWith("a 200") ? (r.oursKb <= 2 * r.kubeconformKb ? ", target 2x ok" : ", target 2x MISSED") : ""})` : "";
  const cpu = r.oursCpuMs !== undefined ? `  cpu ${s(r.oursCpuMs)} / ${s(r.kubeconformCpuMs)}` : "";
  return `${r.input.padEnd(26)} ${s(r.oursMs).padStart(9)} ${s(r.kubeconformMs).padStart(12)} ${(ratio === undefined ? "-" : ratio.toFixed(2)).padStart(6)} ${(target === undefined ? "" : "<= " + target).padStart(7)}${verdict}  ${mem}${memRatio}${cpu}`;
}

/** Rendered overlays when there are any, else the stack fixture. */
export async function corpusSources(): Promise<string[]> {
  const envs = loadEnvironments();
  if (envs.size > 0) return (await renderOverlays(envs)).map((r) => r.yaml);
  return [fs.readFileSync(path.join(REPO_ROOT, "test/validate/fixtures/stack.yaml"), "utf8")];
}

// `node scripts/validate/bench.ts [--big]` runs the validate benchmark on its own.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const envs = loadEnvironments();
  const renders = await renderOverlays(envs);
  const sources = renders.length > 0 ? renders.map((r) => r.yaml) : await corpusSources();
  const eks = renders[[...envs.keys()].indexOf("eks")]?.yaml ?? sources[0]!;
  await benchValidate(sources, eks, { big: process.argv.includes("--big"), out: (l) => console.log(l) });
}
