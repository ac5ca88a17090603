// `npm run bench`: a benchmark, not a test. Times generation, schema validation of a 10,000-resource corpus
// (cold and warm, and kubeconform when installed), the policy engine over the same corpus, and the whole gate.
import { choicesFlag, EXIT, intFlag, parseCli, runMain, type Io, processIo } from "./lib/cli.ts";
import { REPO_ROOT } from "./lib/paths.ts";
import { listClusterOverlays, loadEnvironments } from "./lib/overlays.ts";
import { npmScriptCommand } from "./lib/npm-script.ts";
const fs = process.getBuiltinModule("node:fs");
const os = process.getBuiltinModule("node:os");
const path = process.getBuiltinModule("node:path");
const { pathToFileURL } = process.getBuiltinModule("node:url");
const { spawnSync } = process.getBuiltinModule("node:child_process");

const USAGE = `Usage: npm run bench -- [--resources N] [--repeat N] [--clusters N] [--only generate,validate,policy,gate,fleet] [--big]

Builds a corpus of N (default 10,000) resources with unique names from the rendered overlays and reports:
  generate   generate --check in-process (memo warm, and memo off: model, projection, kustomize verification)
             and npm run generate -- --check as a fresh process
  validate   npm run validate against kubeconform -n 2 ($KUBECONFORM or PATH): one overlay, 1,000, 10,000 and
             50,000 resources (and a 200 MB file with --big); wall time, ratio, target, peak memory
  policy     the policy engine over the corpus (parse and evaluate timed separately)
  gate       npm run check in-process (first run and warm runs), then as a fresh process with the kustomize
             cache cold (an empty folder) with and without the generate memo, with no kustomize cache at all, and
             warm, against a plain kustomize build | kubeconform -strict loop over the same targets (the overlays,
             the cluster overlays and the root; the loop without the cluster overlays too)
  fleet      a copy of this repository with eks in --clusters N (default 100) clusters: generate, the full gate
             and the gate with one cluster changed (check --changed), each a fresh process, against a plain
             kustomize build | kubeconform -strict loop over the same overlays when kubeconform is found
             ($KUBECONFORM or PATH)
Figures are wall-clock milliseconds on this machine; each measurement reports the best of --repeat runs (validate's
runs and kubeconform's taken in turn).

Exit codes: 0 measured, 2 usage.`;

const row = (name: string, ms: number, note = "") => `${name.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms  ${note}`;

/**
 * CPU time (user + system, ms) of this process's finished children and theirs (Linux /proc; undefined elsewhere): on
 * a shared machine the steadier figure beside wall time.
 */
function childCpuMs(): number | undefined {
  try {
    const fields = fs.readFileSync("/proc/self/stat", "utf8").replace(/^.*\) /, "").split(" ");
    // Fields 16 and 17 of proc(5) (cutime, cstime), in clock ticks of 10 ms on Linux.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

/** Wall time of `run`, and the CPU time of the processes it started and waited for. */
async function withCpu<T>(run: () => T | Promise<T>): Promise<{ value: T; cpu?: number }> {
  const before = childCpuMs();
  const value = await run();
  const after = childCpuMs();
  return { value, ...(before !== undefined && after !== undefined ? { cpu: after - before } : {}) };
}
const cpuNote = (cpu: number | undefined) => (cpu === undefined ? "" : `, CPU ${(cpu / 1000).toFixed(2)} s`);

function timeCheck(env: Record<string, string>): number {
  const started = performance.now();
  const command = npmScriptCommand("check");
  const r = spawnSync(command.argv[0]!, command.argv.slice(1), {
    env: { ...process.env, ...command.env, ...env },
    stdio: "ignore",
  });
  if (r.status !== 0) throw new Error(`npm run check exited ${r.status}`);
  return performance.now() - started;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const { values } = parseCli(
    argv,
    { resources: { type: "string" }, repeat: { type: "string" }, only: { type: "string" }, big: { type: "boolean" }, clusters: { type: "string" } },
    USAGE,
  );
  const count = intFlag(values.resources, "--resources", 10_000);
  const repeat = intFlag(values.repeat, "--repeat", 3);
  const clusters = intFlag(values.clusters, "--clusters", 100);
  const only = choicesFlag(values.only, "--only", ["generate", "validate", "policy", "gate", "fleet"]);
  // What is measured loads only once the arguments are valid (--help and usage errors stay light).
  const [{ generate }, { renderOverlays }, { benchValidate }, { benchPolicy }, { benchGate }, { benchFleet, kubeconformBinary, plainLoop }] = await Promise.all([
    import("./generate/run.ts"),
    import("./lib/render.ts"),
    import("./validate/bench.ts"),
    import("../policy/bench.ts"),
    import("./check/gate.ts"),
    import("./bench/fleet.ts"),
  ]);
  const out = (line: string) => io.stdout(line + "\n");
  out(`machine: ${os.cpus().length} cores, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);

  if (only.has("generate")) {
    const times: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const t = performance.now();
      await generate(REPO_ROOT, { check: true });
      times.push(performance.now() - t);
    }
    out(row("generate --check (in-process, memo warm)", Math.min(...times), `first ${times[0]!.toFixed(0)} ms`));
    // Target (issue 17): `npm run generate -- --check` under 300 ms warm (compile cache and memo warm), a fresh process.
    const fresh = Math.min(
      ...Array.from({ length: repeat + 1 }, () => {
        const t = performance.now();
        const command = npmScriptCommand("generate");
        const r = spawnSync(command.argv[0]!, [...command.argv.slice(1), "--check"], { env: { ...process.env, ...command.env }, stdio: "ignore" });
        if (r.status !== 0) throw new Error(`generate --check exited ${r.status}`);
        return performance.now() - t;
      }),
    );
    out(row("npm run generate -- --check (fresh process, warm)", fresh, `${fresh <= 300 ? "meets" : "MISSES"} the 300 ms target`));
    const saved = process.env.MCP_STACK_GENERATE_CACHE;
    process.env.MCP_STACK_GENERATE_CACHE = "0";
    try {
      const t = performance.now();
      await generate(REPO_ROOT, { check: true });
      out(row("generate --check (in-process, memo off)", performance.now() - t, "everything planned and verified"));
    } finally {
      if (saved === undefined) delete process.env.MCP_STACK_GENERATE_CACHE;
      else process.env.MCP_STACK_GENERATE_CACHE = saved;
    }
  }

  const environments = loadEnvironments();
  const renders = await renderOverlays(environments);
  const rendered = renders.map((r) => r.yaml);
  if (only.has("validate")) {
    // kubeconform from $KUBECONFORM or PATH: the figures are ratios to it (issue 17's targets)
    const eks = renders[[...environments.keys()].indexOf("eks")]?.yaml ?? rendered[0]!;
    await benchValidate(rendered, eks, { repeat, big: values.big ?? false, out });
  }
  if (only.has("policy")) {
    // Targets (issue 17): one overlay render as a process under 200 ms; 10,000 renamed objects sharing
    // namespaces under 1 s. Thresholds live here, not in tests: the machine is shared.
    const target = (ms: number, limit: number) => `${ms <= limit ? "meets" : "MISSES"} the ${limit} ms target`;
    for (const layout of ["namespaces", "shared"] as const) {
      const runs = Array.from({ length: repeat }, () => benchPolicy(rendered, { count, layout }));
      const r = runs.reduce((a, b) => (a.parseMs + a.evaluateMs <= b.parseMs + b.evaluateMs ? a : b));
      const total = r.parseMs + r.evaluateMs;
      const note = `parse ${r.parseMs.toFixed(0)} ms, evaluate ${r.evaluateMs.toFixed(0)} ms${layout === "shared" ? `; ${target(total, 1000)}` : ""}`;
      out(row(`policy, ${r.resources} resources (${layout === "shared" ? "renamed, shared namespaces" : "one namespace per copy"})`, total, note));
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-stack-bench-policy-"));
    try {
      const file = path.join(dir, "overlay.yaml");
      fs.writeFileSync(file, rendered.reduce((a, b) => (b.length > a.length ? b : a), ""));
      const times = Array.from({ length: repeat }, () => {
        const t = performance.now();
        const command = npmScriptCommand("policy");
        spawnSync(command.argv[0]!, [...command.argv.slice(1), "--profile", "production", file], { env: { ...process.env, ...command.env }, stdio: "ignore" });
        return performance.now() - t;
      });
      const best = Math.min(...times);
      out(row("policy, largest overlay render (a process)", best, target(best, 200)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only.has("gate")) {
    const g = await benchGate(repeat);
    out(row("gate, 4 overlays + root (in-process, first)", g.firstMs, g.ok ? "passed" : "FAILED"));
    out(row("gate, warm (in-process)", Math.min(...g.warmMs)));
    // Honest end-to-end figures: a fresh process pays Node's start-up and type stripping; without the kustomize build cache
    // every overlay is built by kustomize again.
    // Against the plain `kustomize build | kubeconform -strict` loop over the same targets (issue 17: <= 1.0x with a
    // cold kustomize cache, <= 0.5x with a warm one). Cold: the kustomize cache and the generator's memo both off, so
    // every overlay is planned, verified and built by kustomize again, as in a fresh clone.
    // Cold, as a fresh clone on a fresh CI machine sees it: an empty kustomize cache folder (builds of identical
    // inputs within the run are still one build) and no generate memo. "Off": no kustomize cache at all, not even
    // within the run, which no real run sees.
    const coldCache = () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-stack-bench-kustomize-"));
      return { dir, env: { MCP_STACK_KUSTOMIZE_CACHE_DIR: dir } };
    };
    const timeCold = (env: Record<string, string>) => {
      const cache = coldCache();
      try {
        return timeCheck({ ...cache.env, ...env });
      } finally {
        fs.rmSync(cache.dir, { recursive: true, force: true });
      }
    };
    // Each figure the best of --repeat runs, with the CPU time (user + system) of that run.
    const best = async (times: number, run: () => number) => {
      const runs = [];
      for (let i = 0; i < times; i++) {
        const r = await withCpu(run);
        runs.push({ ms: r.value, cpu: r.cpu });
      }
      return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    };
    const cold = await best(repeat, () => timeCold({ MCP_STACK_GENERATE_CACHE: "0" }));
    const coldBuilds = await best(repeat, () => timeCold({}));
    const off = await best(1, () => timeCheck({ MCP_STACK_KUSTOMIZE_CACHE: "0", MCP_STACK_GENERATE_CACHE: "0" }));
    timeCheck({});
    const warm = await best(repeat, () => timeCheck({}));
    const kubeconform = kubeconformBinary();
    // The loop over what check checks: every overlay, every cluster overlay of a fleet, and the root.
    const targets = [...[...environments.keys()].map((e) => `overlays/${e}`), ...listClusterOverlays(REPO_ROOT).map((c) => c.dir), "."];
    const loop = kubeconform ? await withCpu(() => plainLoop(REPO_ROOT, targets, kubeconform)) : undefined;
    const overlaysOnly =
      kubeconform && targets.length > environments.size + 1 ? await withCpu(() => plainLoop(REPO_ROOT, [...[...environments.keys()].map((e) => `overlays/${e}`), "."], kubeconform)) : undefined;
    const ratio = (r: { ms: number; cpu?: number }, limit: number) =>
      (loop ? `${(r.ms / loop.value.ms).toFixed(2)} of the plain loop (target <= ${limit}: ${r.ms / loop.value.ms <= limit ? "meets" : "MISSES"})` : "") + cpuNote(r.cpu);
    out(row("npm run check (kustomize cache cold, memo off)", cold.ms, ratio(cold, 1.0)));
    out(row("npm run check (kustomize cache cold, memo on)", coldBuilds.ms, ratio(coldBuilds, 1.0)));
    out(row("npm run check (kustomize cache off, memo off)", off.ms, ratio(off, 1.0)));
    out(row("npm run check (fresh process, caches warm)", warm.ms, ratio(warm, 0.5)));
    if (loop) out(row(`plain kustomize | kubeconform -strict loop`, loop.value.ms, `${targets.length} targets (check's)${loop.value.code === 0 ? "" : ", FAILED"}${cpuNote(loop.cpu)}`));
    else out("gate: kubeconform not found ($KUBECONFORM or PATH): no plain-loop ratio");
    if (overlaysOnly) out(row(`the same loop, overlays and root only`, overlaysOnly.value.ms, `${environments.size + 1} targets (without the cluster overlays)${cpuNote(overlaysOnly.cpu)}`));
  }
  if (only.has("fleet")) {
    for (const line of await benchFleet(clusters)) out(line);
  }
  return EXIT.clean;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(main);
