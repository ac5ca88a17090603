// `npm run bench`: a benchmark, not a test. Times generation, schema validation of a 10,000-resource corpus
// (cold and warm, and kubeconform when installed), the policy engine over the same corpus, and the whole gate.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import { choicesFlag, EXIT, intFlag, parseCli, runMain, type Io, processIo } from "./lib/cli.ts";
import { REPO_ROOT } from "./lib/paths.ts";
import { generate } from "./generate/run.ts";
import { renderOverlays } from "./lib/render.ts";
import { loadEnvironments } from "./lib/overlays.ts";
import { benchValidate } from "./validate/bench.ts";
import { benchPolicy } from "../policy/bench.ts";
import { benchGate } from "./check/gate.ts";
import { benchFleet, kubeconformBinary, plainLoop } from "./bench/fleet.ts";

const USAGE = `Usage: npm run bench -- [--resources N] [--repeat N] [--clusters N] [--only generate,validate,policy,gate,fleet] [--big]

Builds a corpus of N (default 10,000) resources with unique names from the rendered overlays and reports:
  generate   generate --check in-process (memo warm, and memo off: model, projection, kustomize verification)
             and npm run generate -- --check as a fresh process
  validate   npm run validate against kubeconform -n 2 ($KUBECONFORM or PATH): one overlay, 1,000, 10,000 and
             50,000 resources (and a 200 MB file with --big); wall time, ratio, target, peak memory
  policy     the policy engine over the corpus (parse and evaluate timed separately)
  gate       npm run check in-process (first run and warm runs), then as a fresh process with its caches off
             and warm, against a plain kustomize build | kubeconform -strict loop over the same targets
  fleet      a copy of this repository with eks in --clusters N (default 100) clusters: generate, the full gate
             and the gate with one cluster changed (check --changed), each a fresh process, against a plain
             kustomize build | kubeconform -strict loop over the same overlays when kubeconform is found
             ($KUBECONFORM or PATH)
Figures are wall-clock milliseconds on this machine; each measurement reports the best of --repeat runs.`;

const row = (name: string, ms: number, note = "") => `${name.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms  ${note}`;

function timeCheck(env: Record<string, string>): number {
  const started = performance.now();
  // `node scripts/check.ts` is what `npm run check` runs (Node's type stripping; no loader).
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts/check.ts")], {
    env: { ...process.env, ...env },
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
        const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts/generate.ts"), "--check"], { stdio: "ignore" });
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
        spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts/policy.ts"), "--profile", "production", file], { stdio: "ignore" });
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
    const cold = timeCheck({ MCP_STACK_KUSTOMIZE_CACHE: "0", MCP_STACK_GENERATE_CACHE: "0" });
    const coldBuilds = timeCheck({ MCP_STACK_KUSTOMIZE_CACHE: "0" });
    timeCheck({});
    const warm = Math.min(...Array.from({ length: repeat }, () => timeCheck({})));
    const kubeconform = kubeconformBinary();
    const loop = kubeconform ? await plainLoop(REPO_ROOT, [...[...environments.keys()].map((e) => `overlays/${e}`), "."], kubeconform) : undefined;
    const ratio = (ms: number, limit: number) => (loop ? `${(ms / loop.ms).toFixed(2)} of the plain loop (target <= ${limit}: ${ms / loop.ms <= limit ? "meets" : "MISSES"})` : "");
    out(row("npm run check (fresh process, caches off)", cold, ratio(cold, 1.0)));
    out(row("npm run check (kustomize cache off, memo on)", coldBuilds, ratio(coldBuilds, 1.0)));
    out(row("npm run check (fresh process, caches warm)", warm, ratio(warm, 0.5)));
    if (loop) out(row(`plain kustomize | kubeconform -strict loop`, loop.ms, `${environments.size + 1} targets${loop.code === 0 ? "" : ", FAILED"}`));
    else out("gate: kubeconform not found ($KUBECONFORM or PATH): no plain-loop ratio");
  }
  if (only.has("fleet")) {
    for (const line of await benchFleet(clusters)) out(line);
  }
  return EXIT.clean;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(main);
