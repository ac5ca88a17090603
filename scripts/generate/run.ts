// The generator as a library: plans base/, components/, every overlays/<env>/, the root Argo CD kustomization,
// settings.schema.json and the README tables, then writes the plan all-or-nothing or compares it (--check).
import { loadEnvironments, unknownOverlayFiles } from "../lib/overlays.ts";
import { ensureLocalCredentials, writePendingCredentials, type PendingWrite } from "../lib/local-credentials.ts";
import { defaultSettings } from "../settings/load.ts";
import { settingsSchemaJson } from "../settings/docs.ts";
import { plannedValidatorModule, VALIDATOR_FILE } from "../settings/validator.ts";
import type { Settings } from "../settings/schema.ts";
import type { StackObject } from "../stack/types.ts";
import type { FilePlan } from "./plan.ts";
import { compare, generatedFilesOnDisk, writePlan } from "./files.ts";
import { fileInput, memoized, remember, textInput } from "./memo.ts";
import { isGenerated } from "./emit.ts";
import { scratchFolder } from "../lib/cleanup.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

export interface GenerateResult {
  plan: FilePlan;
  drift: { changed: string[]; missing: string[]; stale: string[] };
  /** Local credential files written by this run (repository-relative; git-ignored, never overwritten). */
  credentials: { file: string; action: "created" | "completed" }[];
  /** Files in environment folders that nothing reads (a warning each; not an error). */
  warnings: { file: string; message: string }[];
}

/**
 * Part of the tree, for `check --changed`: these environments (with their clusters) and these clusters alone.
 * Only their files are compared with the tree; shared files (base, components, schema, README, root) always are.
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

/** An environment's overlay folder as its clusters build on it: every file but its settings and local credentials. */
function overlayFiles(root: string, env: string): Map<string, string> {
  const out = new Map<string, string>();
  const dir = path.join(root, "overlays", env);
  const walk = (rel: string) => {
    if (!fs.existsSync(path.join(dir, rel))) return;
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (child === "settings.yaml" || child === "credentials") continue;
      if (e.isDirectory()) walk(child);
      else out.set(child, fs.readFileSync(path.join(dir, child), "utf8"));
    }
  };
  walk("");
  return out;
}

/**
 * The memo input of a cluster's plan: the overlay it builds on. check --changed builds on the committed folder; a full
 * plan on the planned files plus the folder's hand-written ones, which is the same folder when it is up to date.
 */
function overlayInput(files: Map<string, string>): string {
  return textInput(JSON.stringify([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

function plannedOverlayFiles(root: string, env: string, plan: FilePlan): Map<string, string> {
  const files = overlayFiles(root, env);
  for (const [file, content] of files) if (isGenerated(content)) files.delete(file);
  const prefix = `overlays/${env}/`;
  for (const [file, content] of plan) if (file.startsWith(prefix)) files.set(file.slice(prefix.length), content);
  return files;
}

/**
 * Plans every generated file and writes it (or, with `check`, compares it with the tree). `envs`: the
 * environments' settings when the caller has loaded them already (loaded from `root` otherwise).
 */
export async function generate(
  root: string,
  opts: {
    check: boolean;
    envs?: Map<string, Settings>;
    scope?: GenerateScope;
    rotateCredentials?: string[];
    /**
     * --check only: each local-credentials environment's values as the caller renders it (ensureLocalCredentials';
     * throwaways for missing files), so the verification build and the caller's render of the overlay are one build.
     */
    localCredentials?: Map<string, Record<string, Record<string, string>>>;
    /** Told of each environment whose overlay (and clusters) the memo planned: nothing of it is built here. */
    onEnvironmentFromMemo?: (env: string) => void;
  },
): Promise<GenerateResult> {
  const scope = opts.scope;
  if (scope && !opts.check) throw new Error("generate: a scope is only for --check");
  if (opts.localCredentials && !opts.check) throw new Error("generate: given local credentials are only for --check");
  const envs = opts.envs ?? loadEnvironments(path.join(root, "overlays"));
  const defaults = defaultSettings();
  const plan: FilePlan = new Map();
  const add = (entries: FilePlan) => {
    for (const [file, content] of entries) plan.set(file, content);
  };
  // The model and the planners are loaded only for a part the memo (memo.ts) has not planned before.
  let reference: StackObject[] | undefined;
  const planShared = async () => {
    const { planBase, planComponents } = await import("./plan.ts");
    const shared: FilePlan = new Map();
    const base = planBase(defaults, shared);
    reference = [...base, ...[...planComponents(defaults, shared, base).values()].flat()];
    return shared;
  };
  const shared = await memoized("base+components", [], planShared);
  add(shared);
  plan.set("settings.schema.json", settingsSchemaJson());
  // The settings validator as code, in the generator's own source tree (not in a bare tree of overlays).
  if (fs.existsSync(path.join(root, "scripts/settings/schema.ts"))) plan.set(VALIDATOR_FILE, plannedValidatorModule(root));
  // The policy engine's built-in schema rules as code (packages/policy-engine/src/builtin-schemas.ts), likewise.
  if (fs.existsSync(path.join(root, "packages/policy-engine/src/builtin-schemas.ts"))) {
    add(
      await memoized("policy-engine schemas", [], async () => {
        const { BUILTIN_RULES, BUILTIN_SCHEMAS_MODULE, builtinSchemasModule } = await import("@mcp-stack/policy-engine");
        const schemaRules = BUILTIN_RULES.filter((r) => "schema" in r);
        return new Map([[`packages/policy-engine/${BUILTIN_SCHEMAS_MODULE}`, builtinSchemasModule(schemaRules)]]);
      }),
    );
  }
  const extraFiles = (env: string, s: Settings) =>
    [...s.extraResources, ...s.extraPatches.map((p) => p.path)].map((f) => [f, fileInput(path.join(root, "overlays", env, f))]);
  add(
    await memoized("argocd", [...envs].map(([env, s]) => [env, s, extraFiles(env, s)]), async () => {
      const { planArgoCd } = await import("./argocd.ts");
      const argocd: FilePlan = new Map();
      planArgoCd(envs, argocd, root);
      return argocd;
    }),
  );

  const pendingCredentials: PendingWrite[] = [];
  // The scratch tree kustomize verifies overlays in: made only when something is planned, not taken from the memo.
  let mirror: string | undefined;
  let mirrorHandle: { release(): void } | undefined;
  const scratch = () => {
    if (mirror) return mirror;
    // Removed on SIGINT/SIGTERM too (it can hold copies of local credentials); after a SIGKILL, by the next run.
    const handle = scratchFolder("generate");
    mirrorHandle = handle;
    const dir = handle.dir;
    mirror = dir;
    for (const [file, content] of shared) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    return dir;
  };
  try {
    // Every environment runs to its end before the scratch copy goes (one failing must not leave others writing
    // into a removed folder); the first failure, in environment order, is reported.
    const outcomes = await Promise.allSettled(
      [...envs].filter(([env]) => !scope || scope.envs.has(env) || scope.clusters.has(env)).map(async ([env, settings]) => {
        // --check never writes: fresh values for missing credentials are throwaways (Secrets are not compared), so
        // the memo keys them as "fresh" rather than by value: a clone that never ran `generate` still hits its memo.
        const throwaways: PendingWrite[] = [];
        const localCredentials =
          settings.credentials.source === "local"
            ? opts.localCredentials?.get(env) ??
              ensureLocalCredentials(root, env, settings, opts.check ? throwaways : pendingCredentials, new Set(opts.rotateCredentials ?? []))
            : undefined;
        const credentialsKey = throwaways.length ? { fresh: throwaways.map((w) => path.basename(w.file)) } : localCredentials ?? null;
        const only = scope && !scope.envs.has(env) ? scope.clusters.get(env) : undefined;
        if (only) {
          // check --changed with only some of its clusters in scope: the environment's inputs did not change, so its
          // committed overlay is what its clusters build on (and is not compared): copy it instead of planning it.
          const mirror = scratch();
          fs.cpSync(path.join(root, "overlays", env), path.join(mirror, "overlays", env), { recursive: true, filter: (f) => path.basename(f) !== "credentials" });
          const overlay = overlayInput(overlayFiles(root, env));
          for (const name of only) {
            if (!settings.clusters.some((c) => c.name === name)) continue;
            add(
              await memoized("cluster", [env, settings, name, overlay], async () => {
                const { planClusters } = await import("./clusters.ts");
                const own: FilePlan = new Map();
                await planClusters({ env, settings, mirror, only: new Set([name]) }, own);
                return own;
              }),
            );
          }
          return;
        }
        let planned = false;
        add(
          await memoized("overlay+clusters", [env, settings, credentialsKey, extraFiles(env, settings)], async () => {
            planned = true;
            const { planOverlay } = await import("./project.ts");
            const { planClusters } = await import("./clusters.ts");
            const own: FilePlan = new Map();
            if (!reference) await planShared();
            const mirror = scratch();
            await planOverlay({ env, settings, defaults, reference: reference!, localCredentials, mirror, root }, own);
            await planClusters({ env, settings, mirror }, own);
            // Each cluster's plan on its own too, for check --changed of that cluster (which builds on the committed
            // overlay: the same inputs when that overlay is up to date).
            if (settings.clusters.length) {
              const overlay = overlayInput(plannedOverlayFiles(root, env, own));
              for (const c of settings.clusters) {
                const dir = `clusters/${env}/${c.name}/`;
                remember("cluster", [env, settings, c.name, overlay], new Map([...own].filter(([f]) => f.startsWith(dir))));
              }
            }
            return own;
          }),
        );
        if (!planned) opts.onEnvironmentFromMemo?.(env);
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    if (failed) throw failed.reason;
  } finally {
    mirrorHandle?.release();
  }

  const readmePath = path.join(root, "README.md");
  if (fs.existsSync(readmePath)) {
    const readme = fs.readFileSync(readmePath, "utf8");
    add(
      await memoized("readme", readme, async () => {
        const { withReadmeRegion, withSettingsTable } = await import("../settings/docs.ts");
        const { rulesTable } = await import("@mcp-stack/policy-engine");
        const { engine: policyEngine } = await import("../../policy/engine.ts");
        const { healthPatchBlock, HTTPROUTE_HEALTH, INGRESS_HEALTH } = await import("../stack/argocd-health.ts");
        const { flowsTable } = await import("../stack/network.ts");
        const updated = [
          (r: string) => withReadmeRegion(r, "policy-rules", rulesTable(policyEngine)),
          (r: string) => withReadmeRegion(r, "network-flows", flowsTable()),
          (r: string) => withReadmeRegion(r, "argocd-health-httproute", healthPatchBlock(HTTPROUTE_HEALTH, "httproute-health.yaml: kubectl -n argocd patch configmap argocd-cm --type merge --patch-file httproute-health.yaml")),
          (r: string) => withReadmeRegion(r, "argocd-health-ingress", healthPatchBlock(INGRESS_HEALTH, "ingress-health.yaml: kubectl -n argocd patch configmap argocd-cm --type merge --patch-file ingress-health.yaml")),
        ].reduce((r, f) => f(r), withSettingsTable(readme));
        return new Map([["README.md", updated]]);
      }),
    );
  }

  const owned = generatedFilesOnDisk(root, ["base", "components", "overlays", "clusters", "argocd"]).concat(
    fs.existsSync(path.join(root, "kustomization.yaml")) ? ["kustomization.yaml"].filter((f) => isOwned(root, f)) : [],
  );
  const sorted: FilePlan = new Map([...plan].filter(([f]) => inScope(scope, f)).sort(([a], [b]) => a.localeCompare(b)));
  const drift = opts.check ? compare(root, sorted, owned.filter((f) => inScope(scope, f.split(path.sep).join("/")))) : writePlan(root, sorted, owned, new Set(["README.md"]));
  const credentials = opts.check ? [] : writePendingCredentials(pendingCredentials).map((w) => ({ ...w, file: path.relative(root, w.file).split(path.sep).join("/") }));
  return { plan: sorted, drift, credentials, warnings: unknownOverlayFiles(path.join(root, "overlays"), envs) };
}

function isOwned(root: string, file: string): boolean {
  return fs.readFileSync(path.join(root, file), "utf8").startsWith("# Generated by");
}

