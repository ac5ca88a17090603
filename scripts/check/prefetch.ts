// Starts kustomize on every target the gate builds (each environment's overlay, each cluster overlay, the root), and
// before those on each environment's overlay before its patches (what the drift check's generator builds first and
// waits for), before the gate's modules and the settings load, so the builds run on the other core meanwhile; the
// gate's own builds of the same inputs then wait for these (scripts/lib/kustomize.ts prefetchBuild). Light on
// purpose: it loads no settings, no model and no engine. A guess that does not hold (an overlay out of date, local
// credentials missing) costs a build at low priority that nobody joins: builds are keyed by their files' bytes.
import { cancelPrefetches, cancelPrefetchesOf, prefetchBuild } from "../lib/kustomize.ts";
import { withSharedFileHashes } from "../lib/kustomize-cache.ts";
import { listClusterOverlays, listOverlays } from "../lib/targets.ts";
import { scratchFolder } from "../lib/cleanup.ts";
import { GENERATED_MARK } from "../lib/generated.ts";
import { prePatchBuilds } from "../generate/pre-patch.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

/** The folders the gate renders, as the gate names them (an environment whose overlay is not generated is left out). */
export function gateBuildDirs(root: string): string[] {
  const overlays = listOverlays(path.join(root, "overlays")).map((env) => path.join(root, "overlays", env));
  const clusters = listClusterOverlays(root).map((c) => path.join(root, c.dir));
  return [...overlays, ...clusters, root].filter((dir) => fs.existsSync(path.join(dir, "kustomization.yaml")));
}

/** Once per root and process run (check starts them before loading the gate, which would start them again). */
const started = new Set<string>();

export function startBuilds(root: string): void {
  if (started.has(root)) return;
  started.add(root);
  const prePatch = new Map<string, string[]>();
  prePatchDirs.set(root, prePatch);
  // First the builds the generator needs first; each file of them all read once.
  withSharedFileHashes(() => {
    for (const env of listOverlays(path.join(root, "overlays"))) prePatch.set(env, prefetchPrePatch(root, env));
    for (const dir of gateBuildDirs(root)) prefetchBuild(dir);
  });
}

/** Each environment's prefetched builds before its patches, by root. */
const prePatchDirs = new Map<string, Map<string, string[]>>();

/**
 * The generator took `env`'s plan from its memo, so nothing builds that environment's overlay before its patches:
 * those prefetched builds are stopped (the CPU goes to the builds the gate does join).
 */
export function dropPrePatch(root: string, env: string): void {
  cancelPrefetchesOf(prePatchDirs.get(root)?.get(env) ?? []);
}

/** The gate is done: a later gate of the same root (a test, a bench run, the tree edited since) prefetches again. */
export function endBuilds(root: string): void {
  started.delete(root);
  prePatchDirs.delete(root);
  cancelPrefetches();
}

/**
 * Each build planOverlay makes of `env` before its patches (generate/pre-patch.ts), laid out as in its scratch tree:
 * base/ and components/ (links to the repository's), overlays/<env>/ with that kustomization and the generator
 * inputs it reads (copies: kustomize refuses links out of an overlay's folder). Removed when the builds end.
 */
export function prefetchPrePatch(root: string, env: string): string[] {
  const overlay = path.join(root, "overlays", env);
  let builds: ReturnType<typeof prePatchBuilds>;
  try {
    const text = fs.readFileSync(path.join(overlay, "kustomization.yaml"), "utf8");
    if (!text.startsWith(GENERATED_MARK)) return [];
    builds = prePatchBuilds(text);
    // A missing input (local credentials in a fresh clone): the generator builds with values of its own.
    if (!builds.length || builds[0]!.files.some((f) => !fs.existsSync(path.join(overlay, f)))) return [];
  } catch {
    return []; // unreadable or not YAML: the gate reports it
  }
  const handle = scratchFolder("prefetch");
  const dirs: string[] = [];
  const running: Promise<void>[] = [];
  try {
    builds.forEach(({ text, files }, i) => {
      const tree = path.join(handle.dir, String(i));
      fs.mkdirSync(tree, { recursive: true });
      for (const shared of ["base", "components"]) {
        if (fs.existsSync(path.join(root, shared))) fs.symlinkSync(path.join(root, shared), path.join(tree, shared));
      }
      const dir = path.join(tree, "overlays", env);
      for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.copyFileSync(path.join(overlay, f), path.join(dir, f));
      }
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "kustomization.yaml"), text);
      const build = prefetchBuild(dir);
      if (build) running.push(build);
      dirs.push(dir);
    });
  } catch {
    // a scratch tree it cannot make: no prefetch
  }
  void Promise.allSettled(running).then(() => handle.release());
  return dirs;
}
