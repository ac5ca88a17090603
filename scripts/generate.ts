// `npm run generate`: renders the typed model into base/, components/, overlays/<env>/ and the root Argo CD
// kustomization; `--check` writes nothing and exits 1 listing every file that differs, is missing or stale.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { EXIT, parseCli, runMain } from "./lib/cli.ts";
import { REPO_ROOT } from "./lib/paths.ts";
import { listOverlays } from "./lib/overlays.ts";
import { defaultSettings, loadSettingsFile } from "./settings/load.ts";
import { settingsSchemaJson, withReadmeRegion, withSettingsTable } from "./settings/docs.ts";
import { rulesTable } from "@mcp-stack/policy-engine";
import { engine as policyEngine } from "../policy/engine.ts";
import { planBase, planComponents, type FilePlan } from "./generate/plan.ts";
import { planOverlay } from "./generate/project.ts";
import { planClusters } from "./generate/clusters.ts";
import { compare, generatedFilesOnDisk, writePlan } from "./generate/files.ts";
import { ensureLocalCredentials, writePendingCredentials, type PendingWrite } from "./generate/local-credentials.ts";
import { planArgoCd } from "./generate/argocd.ts";
import type { Settings } from "./settings/schema.ts";

const USAGE = `Usage: npm run generate -- [--check] [--root DIR]

Renders base/, components/, every overlays/<env>/ (from its settings.yaml), the root kustomization
(Argo CD objects), settings.schema.json and the README settings table.

  --check      write nothing; exit 1 listing every file that differs, is missing or is stale
  --root DIR   repository root to work on (default: this repository)
  -h, --help   this text

Exit codes: 0 up to date / written, 1 drift (--check), 2 bad settings or usage.`;

export interface GenerateResult {
  plan: FilePlan;
  drift: { changed: string[]; missing: string[]; stale: string[] };
  /** Local credential files written by this run (repository-relative; git-ignored, never overwritten). */
  credentials: { file: string; action: "created" | "completed" }[];
}

/** Loads and validates every environment's settings first: nothing is written when any is bad. */
export function loadEnvironments(root: string): Map<string, Settings> {
  const envs = new Map<string, Settings>();
  for (const env of listOverlays(path.join(root, "overlays"))) {
    envs.set(env, loadSettingsFile(path.join(root, "overlays", env, "settings.yaml")));
  }
  return envs;
}

/**
 * Part of the tree, for `check --changed`: these environments (with their clusters), these clusters alone, and
 * the root. Only its files are planned against the tree; shared files (base, components, schema, README) always are.
 */
export interface GenerateScope {
  envs: Set<string>;
  clusters: Map<string, Set<string>>;
}

const inScope = (scope: GenerateScope | undefined, file: string): boolean => {
  if (!scope) return true;
  const env = /^overlays\/([^/]+)\//.exec(file)?.[1];
  if (env) return scope.envs.has(env);
  const cluster = /^clusters\/([^/]+)\/([^/]+)\//.exec(file);
  if (cluster) return scope.envs.has(cluster[1]!) || Boolean(scope.clusters.get(cluster[1]!)?.has(cluster[2]!));
  return true;
};

export async function generate(root: string, opts: { check: boolean; scope?: GenerateScope }): Promise<GenerateResult> {
  if (opts.scope && !opts.check) throw new Error("generate: a scope is only for --check");
  const scope = opts.scope;
  const envs = loadEnvironments(root);
  const defaults = defaultSettings();
  const plan: FilePlan = new Map();
  const base = planBase(defaults, plan);
  const components = [...planComponents(defaults, plan).values()].flat();
  plan.set("settings.schema.json", settingsSchemaJson());
  planArgoCd(envs, plan, root);

  const pendingCredentials: PendingWrite[] = [];
  const mirror = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-stack-generate-"));
  try {
    for (const [file, content] of plan) {
      if (!file.startsWith("base/") && !file.startsWith("components/")) continue;
      fs.mkdirSync(path.dirname(path.join(mirror, file)), { recursive: true });
      fs.writeFileSync(path.join(mirror, file), content);
    }
    await Promise.all(
      [...envs].filter(([env]) => !scope || scope.envs.has(env) || scope.clusters.has(env)).map(async ([env, settings]) => {
        // --check never writes: fresh values for missing credentials are throwaways (Secrets are not compared).
        const localCredentials =
          settings.credentials.source === "local"
            ? ensureLocalCredentials(root, env, settings, opts.check ? [] : pendingCredentials)
            : undefined;
        await planOverlay({ env, settings, defaults, reference: [...base, ...components], localCredentials, mirror, root }, plan);
        const only = scope && !scope.envs.has(env) ? scope.clusters.get(env) : undefined;
        await planClusters({ env, settings, mirror, ...(only ? { only } : {}) }, plan);
      }),
    );
  } finally {
    fs.rmSync(mirror, { recursive: true, force: true });
  }

  const readmePath = path.join(root, "README.md");
  if (fs.existsSync(readmePath)) {
    const readme = fs.readFileSync(readmePath, "utf8");
    const updated = withReadmeRegion(withSettingsTable(readme), "policy-rules", rulesTable(policyEngine));
    plan.set("README.md", updated);
  }

  const owned = generatedFilesOnDisk(root, ["base", "components", "overlays", "clusters", "argocd"]).concat(
    fs.existsSync(path.join(root, "kustomization.yaml")) ? ["kustomization.yaml"].filter((f) => isOwned(root, f)) : [],
  );
  const sorted: FilePlan = new Map([...plan].filter(([f]) => inScope(scope, f)).sort(([a], [b]) => a.localeCompare(b)));
  const drift = opts.check ? compare(root, sorted, owned.filter((f) => inScope(scope, f.split(path.sep).join("/")))) : writePlan(root, sorted, owned, new Set(["README.md"]));
  const credentials = opts.check ? [] : writePendingCredentials(pendingCredentials).map((w) => ({ ...w, file: path.relative(root, w.file).split(path.sep).join("/") }));
  return { plan: sorted, drift, credentials };
}

function isOwned(root: string, file: string): boolean {
  return fs.readFileSync(path.join(root, file), "utf8").startsWith("# Generated by");
}

async function main(): Promise<number> {
  const { values } = parseCli(process.argv.slice(2), { check: { type: "boolean" }, root: { type: "string" } }, USAGE);
  const root = path.resolve(values.root ?? REPO_ROOT);
  const { plan, drift, credentials } = await generate(root, { check: Boolean(values.check) });
  const lines = [
    ...drift.changed.map((f) => `${values.check ? "differs" : "updated"}: ${f}`),
    ...drift.missing.map((f) => `${values.check ? "missing" : "created"}: ${f}`),
    ...drift.stale.map((f) => `${values.check ? "stale" : "removed"}: ${f}`),
  ];
  const total = drift.changed.length + drift.missing.length + drift.stale.length;
  if (values.check) {
    if (total) {
      process.stdout.write(lines.join("\n") + `\n${total} generated file(s) out of date: run \`npm run generate\`\n`);
      return EXIT.findings;
    }
    process.stdout.write(`generated files up to date (${plan.size} files)\n`);
    return EXIT.clean;
  }
  for (const c of credentials) {
    lines.push(`${c.action === "created" ? "created local credentials" : "added missing keys to local credentials"}: ${c.file} (git-ignored, mode 0600, never overwritten)`);
  }
  process.stdout.write((lines.length ? lines.join("\n") + "\n" : "") + `${plan.size} generated files, ${total} changed\n`);
  return EXIT.clean;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(main);
