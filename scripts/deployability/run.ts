// The deployability stage as a function: every analysis over one environment's rendered objects, its
// settings and the application facts, as a findings report (shared formats: scripts/lib/findings).
// Input is either every overlay (rendered with kustomize) or a directory of saved renderings.
import { InputError, UsageError } from "../lib/cli.ts";
import { listOverlays } from "../lib/overlays.ts";
import { OVERLAYS_DIR, REPO_ROOT } from "../lib/paths.ts";
import { renderOverlay } from "../lib/render.ts";
import { loadSettingsFile } from "../settings/load.ts";
import type { Settings } from "../settings/schema.ts";
import { summarize, type Finding, type PolicyReport } from "@mcp-stack/policy-engine";
import { DEFAULT_CONFIG_FILE, exemptionFor, loadExemptions, type Exemption } from "./config.ts";
import { loadAppData, type AppData } from "./data.ts";
import { Index, parseObjects, rec, arr, str } from "./model.ts";
import { ruleById, RULE_IDS } from "./rules.ts";
import type { Analysis, Environment } from "./types.ts";
import { firstSync, tlsSecrets } from "./first-sync.ts";
import { kubectlApply } from "./kubectl-apply.ts";
import { imageWiring } from "./images.ts";
import { connectionBudget } from "./db-budget.ts";
import { flows } from "./flows.ts";
import { cookies } from "./cookies.ts";
import { adoption } from "./adoption.ts";
import { clusterSettings } from "../settings/clusters.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

/** One file per analysis; each is a function of the environment. */
export const ANALYSES: readonly Analysis[] = [firstSync, tlsSecrets, kubectlApply, imageWiring, connectionBudget, flows, cookies, adoption];

export interface EnvironmentInput {
  name: string;
  /** The rendered overlay (kustomize build output). */
  yaml: string;
  /** Shown in findings: where the objects came from. */
  file: string;
  /** False when `file` is not the YAML itself (a kustomization): findings then point at its first line. */
  linesInFile?: boolean;
  settings: Settings;
  /** The Argo CD Application of the environment, when one is rendered (its syncOptions apply to every object). */
  application?: unknown;
}

export interface AnalyseOptions {
  exemptions?: readonly Exemption[];
  app?: AppData;
}

export function analyseEnvironment(input: EnvironmentInput, options: AnalyseOptions = {}): PolicyReport {
  const objects = parseObjects(input.yaml, input.file);
  if (input.linesInFile === false) for (const o of objects) o.line = 1;
  const syncOptions = arr(rec(rec(rec(input.application).spec).syncPolicy).syncOptions).map((s) => str(s) ?? "");
  const env: Environment = {
    name: input.name,
    profile: input.settings.profile,
    index: new Index(objects),
    settings: input.settings,
    argocd: input.settings.argocd.enabled,
    applicationSyncOptions: syncOptions,
    app: options.app ?? loadAppData(),
  };
  const exemptions = options.exemptions ?? [];
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const analysis of ANALYSES) {
    for (const hit of analysis(env)) {
      const key = `${hit.rule}|${hit.obj.kind}|${hit.obj.name}|${hit.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const rule = ruleById(hit.rule);
      const exemption = exemptionFor(exemptions, hit.rule, { kind: hit.obj.kind, name: hit.obj.name, overlay: input.name });
      findings.push({
        ruleId: hit.rule,
        severity: rule.severity,
        category: rule.category,
        message: hit.message,
        object: { apiVersion: hit.obj.apiVersion, kind: hit.obj.kind, ...(hit.obj.namespace ? { namespace: hit.obj.namespace } : {}), name: hit.obj.name },
        file: hit.obj.file,
        line: hit.obj.line,
        objectLine: hit.obj.line,
        path: hit.path,
        overlay: input.name,
        profile: env.profile,
        ...(exemption ? { exempted: { reason: exemption.reason, source: "config" as const } } : {}),
      });
    }
  }
  findings.sort((a, b) => a.line - b.line || a.ruleId.localeCompare(b.ruleId));
  // kubernetesVersion: the analysis does not depend on one (the report shape has the field).
  return { profile: env.profile, overlay: input.name, kubernetesVersion: "", objects: objects.length, findings, summary: summarize(findings, objects.length) };
}

export interface DeployabilityOptions {
  envs?: readonly string[];
  /** A directory of saved renderings: <env>.yaml with <env>.settings.yaml (and argocd/application-mcp-stack-<env>.yaml). */
  from?: string;
  configFile?: string;
  overlaysRoot?: string;
  /** Where the root's argocd/ folder is (Applications). */
  root?: string;
}

export function loadDeployabilityExemptions(file?: string): Exemption[] {
  const target = file ?? DEFAULT_CONFIG_FILE;
  if (!file && !fs.existsSync(target)) return [];
  return loadExemptions(target, RULE_IDS);
}

function readApplication(dir: string, env: string): unknown {
  const file = path.join(dir, "argocd", `application-mcp-stack-${env}.yaml`);
  if (!fs.existsSync(file)) return undefined;
  return parseObjects(fs.readFileSync(file, "utf8"), file)[0]?.object;
}

/** The environments saved in a directory (<env>.yaml beside <env>.settings.yaml). */
export function savedInputs(dir: string, envs?: readonly string[]): EnvironmentInput[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--from ${dir}: not a directory`, { expected: "a directory with <env>.yaml and <env>.settings.yaml" });
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yaml") && fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.isFile());
  const found = files.filter((f) => f.endsWith(".settings.yaml")).map((f) => f.slice(0, -".settings.yaml".length)).sort();
  // Every rendering is analysed: one without its settings, or none at all, is bad input (exit 2), not a pass on nothing.
  const unpaired = files.filter((f) => !f.endsWith(".settings.yaml") && !found.includes(f.slice(0, -".yaml".length)));
  if (!envs?.length && unpaired.length) {
    throw new InputError(`--from ${dir}: ${unpaired.join(", ")} without ${unpaired.map((f) => f.replace(/\.yaml$/, ".settings.yaml")).join(", ")} beside it`, {
      expected: "each saved rendering <env>.yaml with the settings it was rendered from, <env>.settings.yaml",
    });
  }
  if (!envs?.length && !found.length) throw new InputError(`--from ${dir}: no saved rendering in it`, { expected: "<env>.yaml with <env>.settings.yaml" });
  const wanted = envs && envs.length ? envs : found;
  return wanted.map((env) => {
    const file = path.join(dir, `${env}.yaml`);
    if (!found.includes(env) || !fs.existsSync(file)) throw new UsageError(`--from ${dir}: no ${env}.yaml with ${env}.settings.yaml`, { expected: found.join(", ") || "saved renderings" });
    return { name: env, yaml: fs.readFileSync(file, "utf8"), file: path.relative(REPO_ROOT, file), settings: loadSettingsFile(path.join(dir, `${env}.settings.yaml`)), application: readApplication(dir, env) };
  });
}

export async function overlayInput(env: string, overlaysRoot = OVERLAYS_DIR, root = REPO_ROOT, yaml?: string, loaded?: Settings): Promise<EnvironmentInput> {
  const dir = path.join(overlaysRoot, env);
  if (!fs.existsSync(path.join(dir, "settings.yaml"))) throw new UsageError(`unknown environment "${env}"`, { expected: listOverlays(overlaysRoot).join(", ") });
  const settings = loaded ?? loadSettingsFile(path.join(dir, "settings.yaml"));
  return {
    name: env,
    yaml: yaml ?? (await renderOverlay(env, settings, overlaysRoot)).yaml,
    file: path.relative(REPO_ROOT, path.join(dir, "kustomization.yaml")),
    linesInFile: false,
    settings,
    application: readApplication(root, env),
  };
}

/**
 * One cluster of a fleet: its rendered overlay (clusters/<env>/<cluster>) analysed with the cluster's settings
 * (the environment's with the cluster's host, identities and secret-store path) and the fleet's Application template.
 */
export function clusterInput(env: string, cluster: string, yaml: string, envSettings: Settings, root = REPO_ROOT): EnvironmentInput {
  const c = envSettings.clusters.find((x) => x.name === cluster);
  if (!c) throw new UsageError(`environment ${env} has no cluster ${cluster}`, { expected: envSettings.clusters.map((x) => x.name).join(", ") });
  const set = path.join(root, "argocd", `applicationset-mcp-stack-${env}.yaml`);
  const template = fs.existsSync(set) ? rec(rec(parseObjects(fs.readFileSync(set, "utf8"), set)[0]?.object).spec).template : undefined;
  return {
    name: `${env}/${cluster}`,
    yaml,
    file: path.posix.join("clusters", env, cluster, "kustomization.yaml"),
    linesInFile: false,
    settings: clusterSettings(envSettings, c),
    application: template,
  };
}

export async function runDeployability(options: DeployabilityOptions = {}): Promise<PolicyReport[]> {
  const exemptions = loadDeployabilityExemptions(options.configFile);
  const app = loadAppData();
  let inputs: EnvironmentInput[];
  if (options.from) inputs = savedInputs(options.from, options.envs);
  else {
    const root = options.overlaysRoot ?? OVERLAYS_DIR;
    const envs = options.envs && options.envs.length ? options.envs : listOverlays(root);
    if (envs.length === 0) throw new InputError(`no overlays found under ${root}`);
    inputs = await Promise.all(envs.map((e) => overlayInput(e, root, options.root ?? REPO_ROOT)));
  }
  return inputs.map((input) => analyseEnvironment(input, { exemptions, app }));
}
