// Starts kustomize on every target the gate builds (each environment's overlay, each cluster overlay, the root)
// before the gate's modules and the settings load, so the builds run on the other core meanwhile; the gate's own
// builds of the same inputs then wait for these (scripts/lib/kustomize.ts prefetchBuild). Light on purpose: it
// loads no settings, no model and no engine.
import fs from "node:fs";
import path from "node:path";
import { cancelPrefetches, prefetchBuild } from "../lib/kustomize.ts";
import { listClusterOverlays, listOverlays } from "../lib/targets.ts";

export { cancelPrefetches };

/** The folders the gate renders, as the gate names them (an environment whose overlay is not generated is left out). */
export function gateBuildDirs(root: string): string[] {
  const overlays = listOverlays(path.join(root, "overlays")).map((env) => path.join(root, "overlays", env));
  const clusters = listClusterOverlays(root).map((c) => path.join(root, c.dir));
  return [...overlays, ...clusters, root].filter((dir) => fs.existsSync(path.join(dir, "kustomization.yaml")));
}

export function startBuilds(root: string): void {
  for (const dir of gateBuildDirs(root)) prefetchBuild(dir);
}
