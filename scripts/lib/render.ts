// Rendering an overlay: `kustomize build overlays/<env>`, the one render path every stage uses (render,
// check, policy, diff, the cluster commands). Settings are passed in by the caller, which loaded them once.
import { parse, stringify } from "yaml";
import { InputError } from "./cli.ts";
import { traceExtraFailure } from "./extras.ts";
import { kustomizeBuild, KustomizeBuildError } from "./kustomize.ts";
import { scratchFolder } from "./cleanup.ts";
import { overlayDir } from "./overlays.ts";
import { OVERLAYS_DIR } from "./paths.ts";
import { credentialsDir, ensureLocalCredentials } from "./local-credentials.ts";
import type { Settings } from "../settings/schema.ts";
import { requiredSecrets } from "../stack/credentials.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

export interface RenderedOverlay {
  env: string;
  yaml: string;
  warnings: string;
  ms: number;
  /** True when the git-ignored local credentials were missing and throwaway values were used. */
  placeholders: boolean;
}

/**
 * kustomize build of one overlay. An overlay with local credentials whose git-ignored files are missing (a fresh
 * clone, CI) is rendered from a scratch copy with strong throwaway values: rendering never writes into the tree.
 */
export async function renderOverlay(
  env: string,
  settings: Settings,
  overlaysRoot = OVERLAYS_DIR,
  /** The local credentials to render with when files are missing (ensureLocalCredentials' values; made here otherwise). */
  credentials?: Record<string, Record<string, string>>,
): Promise<RenderedOverlay> {
  const started = performance.now();
  const dir = overlayDir(env, overlaysRoot);
  const root = path.dirname(overlaysRoot);
  const missing =
    settings.credentials.source === "local" &&
    requiredSecrets(settings).some((spec) => !fs.existsSync(path.join(credentialsDir(root, env), `${spec.name}.env`)));
  if (!missing) return { env, ...(await buildTraced(env, settings, dir, root, root)), ms: performance.now() - started, placeholders: false };
  // It holds throwaway credentials: removed on every exit path (and after a SIGKILL by the next run).
  const handle = scratchFolder("render");
  const scratch = handle.dir;
  try {
    const copy = scratchCopy(root, dir, env, scratch);
    const values = credentials ?? ensureLocalCredentials(root, env, settings); // pending writes dropped: throwaway values
    fs.mkdirSync(path.join(copy, "credentials"), { recursive: true });
    for (const [name, data] of Object.entries(values)) {
      fs.writeFileSync(path.join(copy, "credentials", `${name}.env`), Object.entries(data).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
    }
    return { env, ...(await buildTraced(env, settings, copy, scratch, root)), ms: performance.now() - started, placeholders: true };
  } finally {
    handle.release();
  }
}

/** Copies base, components and the overlay at `dir` into `scratch` (as overlays/<env>); returns the copy's overlay folder. */
function scratchCopy(root: string, dir: string, env: string, scratch: string): string {
  for (const shared of ["base", "components"]) {
    if (fs.existsSync(path.join(root, shared))) fs.cpSync(path.join(root, shared), path.join(scratch, shared), { recursive: true });
  }
  const copy = path.join(scratch, "overlays", env);
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

/**
 * kustomize build of the overlay at `dir` (in `buildRoot`: the repository or a scratch copy of it). A failure in an
 * overlay with hand-written extras is traced to the extra whose addition breaks the build (lib/extras.ts), as
 * generate does, by building a scratch copy whose kustomization keeps only the first extras.
 */
async function buildTraced(env: string, settings: Settings, dir: string, buildRoot: string, repoRoot: string) {
  try {
    return await kustomizeBuild(dir, { root: buildRoot });
  } catch (err) {
    if (!(err instanceof KustomizeBuildError) || !(settings.extraResources.length + settings.extraPatches.length)) throw err;
    const handle = scratchFolder("render");
    try {
      const scratch = handle.dir;
      const copy = scratchCopy(buildRoot, dir, env, scratch);
      const kustomization = parse(fs.readFileSync(path.join(dir, "kustomization.yaml"), "utf8")) as { resources?: string[]; patches?: { path?: string }[] };
      const extraPatchPaths = settings.extraPatches.map((p) => p.path);
      throw await traceExtraFailure(settings, env, repoRoot, async (resources, patches) => {
        const kept = extraPatchPaths.slice(0, patches);
        const some = {
          ...kustomization,
          resources: (kustomization.resources ?? []).filter((r) => !settings.extraResources.includes(r) || resources.includes(r)),
          patches: (kustomization.patches ?? []).filter((p) => p.path === undefined || !extraPatchPaths.includes(p.path) || kept.includes(p.path)),
        };
        fs.writeFileSync(path.join(copy, "kustomization.yaml"), stringify(some));
        await kustomizeBuild(copy, { root: scratch });
      }, err);
    } finally {
      handle.release();
    }
  }
}

/** Renders the named environments (every one when none is named) concurrently; each keeps kustomize's stderr. */
export async function renderOverlays(envs: Map<string, Settings>, only?: string[], overlaysRoot = OVERLAYS_DIR): Promise<RenderedOverlay[]> {
  for (const env of only ?? []) {
    if (!envs.has(env)) throw new InputError(`no such environment: ${env}`, { expected: `one of ${[...envs.keys()].join(", ")}` });
  }
  return Promise.all((only ?? [...envs.keys()]).map((env) => renderOverlay(env, envs.get(env)!, overlaysRoot)));
}
