// The pull-request gate as a library: generated files up to date (each stale file named), every overlay and the
// root (Argo CD) kustomization rendered, schema-validated and policy-checked; a summary table per overlay; JSON
// and SARIF for CI. Every environment's settings are loaded once here and passed to each step.
import { InputError, UsageError } from "../lib/cli.ts";
import { kustomizeBuild } from "../lib/kustomize.ts";
import { listClusterOverlays, loadEnvironments } from "../lib/overlays.ts";
import { changedScope } from "./changed.ts";
import { dropPrePatch, endBuilds, startBuilds } from "./prefetch.ts";
import { REPO_ROOT } from "../lib/paths.ts";
import { gatewayConfigWarnings, overlayFolderWarnings, unreferencedOverlayFiles, unusedExemptions, type GateWarning } from "../check/warnings.ts";
import { defaultSchemaLocations, parseSchemaLocation, renderSchemaPath } from "../validate/schema-locations.ts";
import { generate } from "../generate/run.ts";
import { ensureLocalCredentials } from "../lib/local-credentials.ts";
import type { Drift } from "../generate/files.ts";
import { renderOverlay } from "../lib/render.ts";
import { validateDocuments, DEFAULT_KUBERNETES_VERSION } from "../validate/engine.ts";
import type { ResourceResult, Summary } from "../validate/engine.ts";
import { parseManifests, renderSarif, type Finding, type PolicyReport } from "@mcp-stack/policy-engine";
import { DEFAULT_CONFIG_FILE, evaluate, hasBlockingFindings, RULES } from "../../policy/engine.ts";
import { evaluateRenderedOverlay, loadPolicyConfig, locateRendered, SARIF_OPTIONS } from "../../policy/run.ts";
import { locateSources } from "../../policy/sources.ts";
import { analyseEnvironment, clusterInput, loadDeployabilityExemptions, overlayInput } from "../deployability/run.ts";
import { loadAppData } from "../deployability/data.ts";
import { RULES as DEPLOYABILITY_RULES } from "../deployability/rules.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

export const ROOT_TARGET = "(root)";

export interface TargetVerdict {
  /** The environment, or "(root)" for the root kustomization. */
  name: string;
  /** The kustomization that was built, repository-relative. */
  file: string;
  objects: number;
  schema: Summary;
  policy: { error: number; warning: number; info: number; exempted: number };
  renderError?: string;
  /** Objects that failed schema validation, each with the repository file and line that defines it. */
  invalid: (ResourceResult & { source?: { file: string; line: number } })[];
  /** Generated files of this target that are out of date ("differs: overlays/eks/kustomization.yaml"). */
  drift: string[];
  /** What the gate would otherwise ignore here (unreferenced files, unknown gateway.config keys). */
  warnings: GateWarning[];
  findings: Finding[];
  /** Deployability findings (overlays only; the root kustomization holds no workloads). */
  deployability?: { error: number; warning: number; info: number; exempted: number };
  deployabilityFindings: Finding[];
  /** Render, validation and policy time of this target. */
  ms: number;
  /** True when local credentials were missing and placeholders were used to render. */
  placeholders?: boolean;
  /** check --changed: nothing this target is built from changed, so it was not rendered. */
  unchanged?: boolean;
}

export interface GateResult {
  ok: boolean;
  drift: Drift;
  generatedFiles: number;
  targets: TargetVerdict[];
  /** Drift outside every target's own files (base/, components/, README.md, settings.schema.json). */
  sharedDrift: string[];
  /** Repository-wide warnings: folders that are not environments, exemptions that match nothing. */
  warnings: GateWarning[];
  kubernetesVersion: string;
  ms: number;
}

export interface GateOptions {
  root?: string;
  kubernetesVersion?: string;
  /** Schema locations (default: the shipped schemas/ folder). */
  schemaLocations?: string[];
  /** Check only what changed since this git ref (check --changed REF); the rest is reported unchanged. */
  changed?: string;
}

const emptySummary = (): Summary => ({ valid: 0, invalid: 0, errors: 0, skipped: 0 });

function policyCounts(report: PolicyReport | undefined): TargetVerdict["policy"] {
  const s = report?.summary;
  return { error: s?.error ?? 0, warning: s?.warning ?? 0, info: s?.info ?? 0, exempted: s?.exempted ?? 0 };
}

/** The target a generated file belongs to: its overlay, the root (argocd/, kustomization.yaml), or none (shared). */
export function driftTarget(file: string): string | undefined {
  const overlay = /^overlays\/([^/]+)\//.exec(file)?.[1];
  if (overlay) return overlay;
  const cluster = /^clusters\/([^/]+\/[^/]+)\//.exec(file)?.[1];
  if (cluster) return cluster;
  if (file.startsWith("argocd/") || file === "kustomization.yaml") return ROOT_TARGET;
  return undefined;
}

function labelledDrift(drift: Drift): string[] {
  return [...drift.changed.map((f) => `differs: ${f}`), ...drift.missing.map((f) => `missing: ${f}`), ...drift.stale.map((f) => `stale:   ${f}`)];
}

/**
 * A version without schemas would fail every object with "could not find schema": say it once, with the versions
 * that are there. Only local folder locations are inspected; a remote location may have any version.
 */
export function checkSchemasForVersion(version: string, locations: readonly string[] = defaultSchemaLocations()): void {
  const parsed = locations.map(parseSchemaLocation);
  const versioned = parsed.filter((l) => l.template.includes("NormalizedKubernetesVersion"));
  if (!versioned.length || parsed.some((l) => l.remote)) return;
  const folderOf = (v: string, l: (typeof parsed)[number]) => path.dirname(renderSchemaPath(l, "Service", "v1", v, true));
  if (versioned.some((l) => fs.existsSync(folderOf(version, l)))) return;
  const available = new Set<string>();
  for (const l of versioned) {
    const parent = path.dirname(folderOf(version, l));
    if (!fs.existsSync(parent)) continue;
    for (const name of fs.readdirSync(parent)) {
      const v = /^v(\d+\.\d+\.\d+)-standalone-strict$/.exec(name)?.[1];
      if (v) available.add(v);
    }
  }
  const where = [...new Set(versioned.map((l) => path.relative(process.cwd(), path.dirname(folderOf(version, l))) || "."))].join(", ");
  throw new UsageError(`no schemas for Kubernetes ${version} in ${where}`, {
    expected: `one of the available versions: ${[...available].sort((a, b) => b.localeCompare(a, undefined, { numeric: true })).join(", ") || "none"}; or add it with npm run schemas -- --kubernetes-version ${version}`,
  });
}

/** Runs the whole gate in-process; only bad settings or usage throw (InputError). */
export async function runGate(options: GateOptions = {}): Promise<GateResult> {
  const started = performance.now();
  const root = path.resolve(options.root ?? REPO_ROOT);
  // Every target's kustomize build starts first (unless only some targets are checked); the renders below join them.
  if (options.changed === undefined) startBuilds(root);
  try {
    return await gate(options, root, started);
  } finally {
    endBuilds(root); // builds nobody joined (the gate stopped early, or guessed wrong) are stopped
  }
}

async function gate(options: GateOptions, root: string, started: number): Promise<GateResult> {
  const kubernetesVersion = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  checkSchemasForVersion(kubernetesVersion, options.schemaLocations?.length ? options.schemaLocations : defaultSchemaLocations());
  const config = loadPolicyConfig();
  const exemptions = loadDeployabilityExemptions();
  const app = loadAppData();
  const overlaysRoot = path.join(root, "overlays");
  const settings = loadEnvironments(overlaysRoot);
  const envs = [...settings.keys()];
  const hasRoot = fs.existsSync(path.join(root, "kustomization.yaml"));

  // The drift check and the renders run side by side; kustomize builds of identical inputs are shared
  // (scripts/lib/kustomize-cache.ts), so each overlay is built once for both.
  const scope = options.changed === undefined ? "all" : changedScope(root, options.changed);
  // Local credentials once per environment (throwaways where the git-ignored files are missing, as in CI), for the
  // drift check and the render alike: the same inputs, so one kustomize build serves both.
  const planned = (env: string) => scope === "all" || scope.envs.has(env) || scope.clusters.has(env);
  const credentials = new Map([...settings].filter(([env, s]) => s.credentials.source === "local" && planned(env)).map(([env, s]) => [env, ensureLocalCredentials(root, env, s)]));
  // An environment the generator's memo planned builds nothing before its patches: its prefetched builds stop.
  const generated = generate(root, { check: true, envs: settings, localCredentials: credentials, onEnvironmentFromMemo: (env) => dropPrePatch(root, env), ...(scope === "all" ? {} : { scope }) });
  // Cluster overlays of fleets are checked under their environment's profile and exemptions.
  const clusters = listClusterOverlays(root).filter((c) => settings.has(c.env));
  const targets: { name: string; dir: string; env?: string }[] = [
    ...envs.map((env) => ({ name: env, dir: path.join("overlays", env), env })),
    ...clusters.map((c) => ({ name: `${c.env}/${c.cluster}`, dir: c.dir, env: c.env })),
    ...(hasRoot ? [{ name: ROOT_TARGET, dir: "." }] : []),
  ];
  const affected = ({ name, env }: { name: string; env?: string }) =>
    scope === "all" ||
    (env === undefined ? scope.root : env === name ? scope.envs.has(name) : scope.envs.has(env) || Boolean(scope.clusters.get(env)?.has(name.slice(env.length + 1))));
  const verdicts = Promise.all(
    targets.map(async ({ name, dir, env }): Promise<TargetVerdict> => {
      const t0 = performance.now();
      const file = path.posix.join(dir.split(path.sep).join("/"), "kustomization.yaml").replace(/^\.\//, "");
      if (!affected({ name, env })) {
        return { name, file, objects: 0, schema: emptySummary(), policy: policyCounts(undefined), invalid: [], drift: [], warnings: [], findings: [], deployabilityFindings: [], ms: 0, unchanged: true };
      }
      let yaml: string;
      let placeholders = false;
      try {
        if (name === ROOT_TARGET) yaml = (await kustomizeBuild(root, { root })).yaml;
        else if (env !== name) yaml = (await kustomizeBuild(path.join(root, dir), { root })).yaml;
        else ({ yaml, placeholders } = await renderOverlay(name, settings.get(name)!, overlaysRoot, credentials.get(name)));
      } catch (err) {
        if (!(err instanceof InputError) || err.message.startsWith("cannot run")) throw err;
        return { name, file, objects: 0, schema: emptySummary(), policy: policyCounts(undefined), renderError: err.format(), invalid: [], drift: [], warnings: [], findings: [], deployabilityFindings: [], ms: performance.now() - t0 };
      }
      const located =
        name === ROOT_TARGET
          ? locateSources(parseManifests(yaml, file), [path.join(root, "argocd")], REPO_ROOT, { file, line: 1 })
          : locateRendered(env!, yaml, overlaysRoot);
      const sourceOf = (r: ResourceResult) => {
        const o = located.find((s) => s.object.kind === r.kind && s.object.metadata?.name === r.name && (s.object.metadata?.namespace ?? "") === (r.namespace ?? ""));
        return o ? { source: { file: o.file, line: o.line } } : {};
      };
      // The gate also applies the API server's semantic rules (validate's --semantic).
      const validation = await validateDocuments([{ filename: file, content: yaml }], { kubernetesVersion, schemaLocations: options.schemaLocations, semantic: true });
      const report =
        name === ROOT_TARGET
          ? evaluate(parseManifests(yaml, file), { profile: "production", kubernetesVersion, config, overlay: "argocd" })
          : evaluateRenderedOverlay(env!, yaml, { profile: settings.get(env!)!.profile, kubernetesVersion, config, overlaysRoot, located });
      // Deployability findings point at the repository file that defines each object, like the policy's. A cluster
      // overlay of a fleet is analysed with its cluster's settings (host, identities, secret-store path).
      const input =
        name === ROOT_TARGET ? undefined : env !== name ? clusterInput(env!, name.slice(env!.length + 1), yaml, settings.get(env!)!, root) : await overlayInput(name, overlaysRoot, root, yaml, settings.get(name));
      const deployability = input ? analyseEnvironment(input, { exemptions, app }) : undefined;
      const deployabilityFindings = (deployability?.findings ?? []).map((f) => {
        const o = located.find((x) => x.object.kind === f.object.kind && x.object.metadata?.name === f.object.name);
        return o ? { ...f, file: o.file, line: o.line, objectLine: o.line } : f;
      });
      return {
        name,
        file,
        objects: report.objects,
        schema: validation.summary,
        policy: policyCounts(report),
        invalid: validation.resources.filter((r) => r.status === "statusInvalid" || r.status === "statusError").map((r) => ({ ...r, ...sourceOf(r) })),
        drift: [],
        // Environment warnings once, on the environment's row (a cluster overlay is generated whole).
        warnings: name === ROOT_TARGET || env !== name ? [] : [...unreferencedOverlayFiles(root, name), ...gatewayConfigWarnings(root, name, settings.get(name)!)],
        findings: report.findings,
        ...(deployability ? { deployability: policyCounts(deployability) } : {}),
        deployabilityFindings,
        ms: performance.now() - t0,
        ...(placeholders ? { placeholders } : {}),
      };
    }),
  );
  const [{ drift, plan }, results] = await Promise.all([generated, verdicts]);
  const staleCount = drift.changed.length + drift.missing.length + drift.stale.length;
  const sharedDrift: string[] = [];
  for (const entry of labelledDrift(drift)) {
    const target = results.find((t) => t.name === driftTarget(entry.slice(9)));
    (target ? target.drift : sharedDrift).push(entry);
  }
  const warnings = [...overlayFolderWarnings(root), ...unusedExemptions(config, results.flatMap((t) => t.findings), DEFAULT_CONFIG_FILE)];
  const failed = results.some(
    (t) => t.renderError || t.schema.invalid > 0 || t.schema.errors > 0 || hasBlockingFindings(t.findings) || hasBlockingFindings(t.deployabilityFindings),
  );
  return { ok: staleCount === 0 && !failed, drift, generatedFiles: plan.size, targets: results, sharedDrift, warnings, kubernetesVersion, ms: performance.now() - started };
}

/** The summary table: one row per overlay and the root kustomization (and shared generated files when they drift). */
export function formatTable(result: GateResult, { colour = false } = {}): string {
  const paint = (code: string, s: string) => (colour ? `\x1b[${code}m${s}\x1b[0m` : s);
  const header = ["target", "objects", "schema valid/invalid/errors/skipped", "generated", "error", "warning", "info", "exempted", "deployability error/warning/exempted", "time", "verdict"];
  const generatedCell = (drift: string[]) => (drift.length ? `${drift.length} out of date` : "up to date");
  const rows = result.targets.map((t) => {
    const bad = t.renderError || t.schema.invalid || t.schema.errors || t.drift.length || hasBlockingFindings(t.findings) || hasBlockingFindings(t.deployabilityFindings);
    if (t.unchanged) return [t.name, "-", "-", "-", "-", "-", "-", "-", "-", "-", "unchanged"];
    const d = t.deployability;
    return [
      t.name,
      String(t.objects),
      t.renderError ? "render failed" : `${t.schema.valid}/${t.schema.invalid}/${t.schema.errors}/${t.schema.skipped}`,
      generatedCell(t.drift),
      String(t.policy.error),
      String(t.policy.warning + t.warnings.length),
      String(t.policy.info),
      String(t.policy.exempted),
      d ? `${d.error}/${d.warning}/${d.exempted}` : "-",
      `${Math.round(t.ms)} ms`,
      bad ? paint("31", "FAIL") : paint("32", "ok"),
    ];
  });
  if (result.sharedDrift.length) {
    rows.unshift(["(shared)", "-", "-", generatedCell(result.sharedDrift), "-", "-", "-", "-", "-", "-", paint("31", "FAIL")]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const left = new Set([0, 2, 3, 8, header.length - 1]);
  const line = (cells: string[]) => cells.map((c, i) => (left.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

const at = (file: string, line?: number) => (line ? `${file}:${line}` : file);

/** Everything the table counts, one line each: drift, render failures, schema errors, findings, warnings. */
export function formatReport(result: GateResult, { colour = false } = {}): string {
  const out: string[] = [];
  const staleCount = result.drift.changed.length + result.drift.missing.length + result.drift.stale.length;
  if (staleCount) {
    out.push(`generated files out of date (${staleCount}): run \`npm run generate\` and commit the result`);
    for (const entry of result.sharedDrift) out.push(`  ${entry}`);
    for (const t of result.targets) for (const entry of t.drift) out.push(`  ${t.name}: ${entry}`);
  } else {
    out.push(`generated files up to date (${result.generatedFiles} files)`);
  }
  for (const w of result.warnings) out.push(`warning ${w.code}: ${w.message} (${at(w.file, w.line)})`);
  for (const t of result.targets) {
    if (t.renderError) out.push(`${t.name}: render failed: ${t.renderError}`);
    if (t.placeholders) out.push(`${t.name}: local credentials missing, rendered with throwaway values`);
    for (const r of t.invalid) {
      const errors = r.validationErrors?.map((e) => `${e.path || "/"}: ${e.msg}`).join("; ") ?? r.msg;
      out.push(`${t.name}: ${r.kind} ${r.name} is invalid (${r.source ? at(r.source.file, r.source.line) : at(t.file, r.line)}): ${errors}`);
    }
    const open = t.findings.filter((f) => !f.exempted);
    for (const severity of ["error", "warning", "info"] as const) {
      for (const f of open.filter((f) => f.severity === severity)) {
        out.push(`${t.name}: ${severity} ${f.ruleId}: ${f.object.kind} ${f.object.name}: ${f.message} (${at(f.file, f.line)} ${f.path})`);
      }
    }
    for (const severity of ["error", "warning", "info"] as const) {
      for (const f of t.deployabilityFindings.filter((f) => !f.exempted && f.severity === severity)) {
        out.push(`${t.name}: deployability ${severity} ${f.ruleId}: ${f.object.kind} ${f.object.name}: ${f.message} (${at(f.file, f.line)} ${f.path})`);
      }
    }
    for (const w of t.warnings) out.push(`${t.name}: warning ${w.code}: ${w.message} (${at(w.file, w.line)})`);
    // Exempted findings: one line per rule and reason (they are accepted; the count says how many).
    const exempted = new Map<string, number>();
    for (const f of [...t.findings, ...t.deployabilityFindings].filter((f) => f.exempted)) {
      const key = `${f.severity} ${f.ruleId} (exempted: ${f.exempted!.reason})`;
      exempted.set(key, (exempted.get(key) ?? 0) + 1);
    }
    for (const [key, n] of exempted) out.push(`${t.name}: ${n} × ${key}`);
  }
  out.push("", formatTable(result, { colour }).trimEnd());
  const verdict = result.ok ? "gate passed" : "gate FAILED";
  out.push(`${verdict} in ${Math.round(result.ms)} ms (Kubernetes ${result.kubernetesVersion})`);
  return out.join("\n") + "\n";
}

const GATE_RULES = [
  {
    id: "generated-file-drift",
    title: "Generated files must match the generator's output",
    help: "A generated file differs from what `npm run generate` writes, is missing, or is left over. Run `npm run generate` and commit.",
  },
  {
    id: "render-failed",
    title: "Every kustomization must build",
    help: "kustomize build failed for this kustomization.",
  },
  {
    id: "schema-invalid",
    title: "Every object must validate against its schema",
    help: "The object does not validate against the Kubernetes or CRD JSON schema (npm run validate).",
  },
] as const;

/** Policy findings plus the gate's own failures (drift, render, schema) as one SARIF run. */
export function formatSarif(result: GateResult): string {
  const sarif = JSON.parse(renderSarif(result.targets.map((t) => ({
    profile: "",
    kubernetesVersion: result.kubernetesVersion,
    objects: t.objects,
    findings: t.findings,
    summary: { ...t.policy, objects: t.objects },
  })), RULES, SARIF_OPTIONS)) as { runs: { tool: { driver: { rules: unknown[] } }; results: unknown[] }[] };
  const run = sarif.runs[0]!;
  const offset = run.tool.driver.rules.length;
  run.tool.driver.rules.push(
    ...GATE_RULES.map((r) => ({
      id: r.id,
      name: r.id.replace(/(^|-)(\w)/g, (_: string, __: string, c: string) => c.toUpperCase()),
      shortDescription: { text: r.title },
      help: { text: r.help },
      defaultConfiguration: { level: "error" },
      properties: { category: "gate" },
    })),
  );
  const result_ = (rule: number, text: string, uri: string, line = 1) => ({
    ruleId: GATE_RULES[rule]!.id,
    ruleIndex: offset + rule,
    level: "error",
    message: { text },
    locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: Math.max(1, line) } } }],
  });
  // Deployability findings join the run after the gate's own rules (their rule indexes shifted).
  const deployability = JSON.parse(renderSarif(result.targets.filter((t) => t.deployability).map((t) => ({
    profile: "",
    kubernetesVersion: "",
    objects: t.objects,
    findings: t.deployabilityFindings,
    summary: { ...t.deployability!, objects: t.objects },
  })), DEPLOYABILITY_RULES, SARIF_OPTIONS)) as { runs: { tool: { driver: { rules: unknown[] } }; results: { ruleIndex: number }[] }[] };
  const dOffset = run.tool.driver.rules.length;
  run.tool.driver.rules.push(...deployability.runs[0]!.tool.driver.rules);
  run.results.push(...deployability.runs[0]!.results.map((r) => ({ ...r, ruleIndex: r.ruleIndex + dOffset })));
  const { changed, missing, stale } = result.drift;
  run.results.push(
    ...changed.map((f) => result_(0, `${f} differs from the generator's output: run npm run generate`, f)),
    ...missing.map((f) => result_(0, `${f} is missing: run npm run generate`, f)),
    ...stale.map((f) => result_(0, `${f} is no longer generated: run npm run generate`, f)),
  );
  for (const t of result.targets) {
    if (t.renderError) run.results.push(result_(1, t.renderError, t.file));
    for (const r of t.invalid) {
      const errors = r.validationErrors?.map((e) => `${e.path || "/"}: ${e.msg}`).join("; ") ?? r.msg;
      run.results.push(result_(2, `${r.kind} ${r.name}: ${errors}`, r.source?.file ?? t.file, r.source?.line ?? r.line));
    }
  }
  return JSON.stringify(sarif, null, 2) + "\n";
}

/** The gate's in-process time, for `npm run bench`: one cold run and `warmRuns` more in the same process. */
export async function benchGate(warmRuns = 3): Promise<{ firstMs: number; warmMs: number[]; ok: boolean }> {
  const first = await runGate();
  const warmMs: number[] = [];
  for (let i = 0; i < warmRuns; i++) warmMs.push((await runGate()).ms);
  return { firstMs: first.ms, warmMs, ok: first.ok };
}

