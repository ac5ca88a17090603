// The policy stage as a function: explicit files (strictest profile unless one is named) or every
// overlay rendered by kustomize under its own profile. `npm run check` calls this in-process.
import { BASE_DIR, COMPONENTS_DIR, OVERLAYS_DIR, REPO_ROOT } from "../scripts/lib/paths.ts";
import { InputError, UsageError } from "../scripts/lib/cli.ts";
import { EMPTY_CONFIG, parseKubernetesVersion, parseManifests, readManifests, type PolicyConfig, type PolicyReport, type SourceObject, ruleAnchor } from "@mcp-stack/policy-engine";
import { DEFAULT_CONFIG_FILE, engine, evaluate, STRICTEST_PROFILE } from "./engine.ts";
import { locateSources } from "./sources.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

/** This repository's README, where each rule has an anchor (the same default as settings' monitoring.runbookBaseUrl). */
const README_URL = process.env.POLICY_README_URL ?? "https://github.com/example-org/mcp-stack-gitops/blob/main/README.md";

/** How SARIF names this tool and where each rule is documented. */
export const SARIF_OPTIONS = {
  toolName: "mcp-stack-policy",
  informationUri: README_URL,
  helpUri: (ruleId: string) => `${README_URL}#${ruleAnchor(ruleId)}`,
} as const;

export interface PolicyRunOptions {
  paths?: readonly string[];
  profile?: string;
  kubernetesVersion?: string;
  /** policy/config.yaml by default; missing default file means no exemptions. */
  configFile?: string;
  overlaysRoot?: string;
  readStdin?: () => string;
  /** A non-Kubernetes or unreadable file inside a directory fails the run instead of being skipped. */
  strictInput?: boolean;
  /** Told about each file skipped inside a directory. */
  onSkip?: (file: string, reason: string) => void;
  /**
   * Explicit input is this overlay's rendering (e.g. `kubectl kustomize overlays/eks | npm run policy -- --overlay eks -`):
   * its profile is the default and exemptions scoped to it apply, so the findings are the gate's.
   */
  overlay?: string;
}

export function loadPolicyConfig(file?: string): PolicyConfig {
  const target = file ?? DEFAULT_CONFIG_FILE;
  if (!file && !fs.existsSync(target)) return EMPTY_CONFIG;
  return engine.loadConfig(target);
}

// The overlay directory is <root>/<env>, as scripts/lib/overlays.ts lays it out (not imported here: it loads
// the settings schema, which a run on explicit paths does not need).
const overlayPath = (env: string, root: string) => path.join(root, env);

/** One overlay's kustomize output, each object located at the repository file (and line) that defines it. */
export function locateRendered(env: string, yaml: string, overlaysRoot: string = OVERLAYS_DIR): SourceObject[] {
  const rendered = parseManifests(yaml, path.relative(REPO_ROOT, path.join(overlayPath(env, overlaysRoot), "kustomization.yaml")));
  return locateSources(rendered, [BASE_DIR, overlayPath(env, overlaysRoot), COMPONENTS_DIR], REPO_ROOT, { file: rendered[0]?.file ?? env, line: 1 });
}

/** Policy over one overlay's kustomize output (under the profile its settings name), located back at the repository files. */
export function evaluateRenderedOverlay(
  env: string,
  yaml: string,
  options: { profile: string; kubernetesVersion?: string; config?: PolicyConfig; overlaysRoot?: string; located?: SourceObject[] },
): PolicyReport {
  const root = options.overlaysRoot ?? OVERLAYS_DIR;
  // `located`: the caller's locateRendered(env, yaml, root), when it has it already.
  const located = options.located ?? locateRendered(env, yaml, root);
  return evaluate(located, {
    profile: options.profile,
    kubernetesVersion: options.kubernetesVersion,
    overlay: env,
    config: options.config,
  });
}

/**
 * The objects of the paths given. None at all is bad input, not a pass: `kustomize build broken | npm run policy -- -`
 * hands over an empty stdin, and a gate that then says "0 errors" hides the failure.
 */
function readExplicit(options: PolicyRunOptions): SourceObject[] {
  const paths = options.paths!;
  const objects = readManifests(paths, options.readStdin, { strict: options.strictInput, onSkip: options.onSkip });
  if (objects.length === 0) {
    throw new InputError("no Kubernetes objects to check", {
      file: paths.map((p) => (p === "-" ? "<stdin>" : p)).join(", "),
      expected: "rendered manifests: a file, a folder of them, or - with kustomize build output on stdin",
    });
  }
  return objects;
}

export async function runPolicy(options: PolicyRunOptions = {}): Promise<PolicyReport[]> {
  // Fail fast on bad options before any rendering.
  if (options.profile) engine.getProfile(options.profile);
  if (options.kubernetesVersion) parseKubernetesVersion(options.kubernetesVersion);
  const config = loadPolicyConfig(options.configFile);
  const root = options.overlaysRoot ?? OVERLAYS_DIR;
  const { overlay } = options;
  const explicit = options.paths !== undefined && options.paths.length > 0;
  // Settings and rendering are loaded only when they are needed: a run on explicit paths starts without them.
  if (explicit && overlay === undefined) {
    const objects = readExplicit(options);
    return [evaluate(objects, { profile: options.profile ?? STRICTEST_PROFILE, kubernetesVersion: options.kubernetesVersion, config })];
  }
  const { loadEnvironments } = await import("../scripts/lib/overlays.ts");
  const all = loadEnvironments(root);
  if (overlay !== undefined && !all.has(overlay)) {
    throw new UsageError(`--overlay ${overlay}: no such environment`, { expected: `one of ${[...all.keys()].join(", ")}` });
  }
  if (options.paths && options.paths.length > 0) {
    const objects = readExplicit(options);
    const profile = options.profile ?? (overlay ? all.get(overlay)!.profile : STRICTEST_PROFILE);
    return [evaluate(objects, { profile, kubernetesVersion: options.kubernetesVersion, config, ...(overlay ? { overlay } : {}) })];
  }
  const envs = overlay !== undefined ? new Map([[overlay, all.get(overlay)!]]) : all;
  if (envs.size === 0) throw new UsageError(`no overlays found under ${path.relative(process.cwd(), root) || root} and no paths given`, { expected: "PATH... or - for stdin" });
  const { renderOverlay } = await import("../scripts/lib/render.ts");
  const reports: PolicyReport[] = [];
  for (const [env, settings] of envs) {
    const yaml = (await renderOverlay(env, settings, root)).yaml;
    reports.push(evaluateRenderedOverlay(env, yaml, { ...options, profile: options.profile ?? settings.profile, config, overlaysRoot: root }));
  }
  return reports;
}
