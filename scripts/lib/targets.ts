// What the repository builds, found from the tree alone (no settings loaded): the environments (overlays/<env>/
// holding a settings.yaml) and the cluster overlays of fleets. Light on purpose: check starts kustomize on them
// while the rest of its modules load (scripts/check/prefetch.ts).
import { OVERLAYS_DIR } from "./paths.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

export function listOverlays(root: string = OVERLAYS_DIR): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, "settings.yaml")))
    .map((d) => d.name)
    .sort();
}

/** Cluster overlays of fleets, clusters/<env>/<cluster>/ (generated from the environments' settings.clusters). */
export function listClusterOverlays(repoRoot: string): { env: string; cluster: string; dir: string }[] {
  const top = path.join(repoRoot, "clusters");
  if (!fs.existsSync(top)) return [];
  return fs
    .readdirSync(top, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((envDir) =>
      fs
        .readdirSync(path.join(top, envDir.name), { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(path.join(top, envDir.name, d.name, "kustomization.yaml")))
        .map((d) => ({ env: envDir.name, cluster: d.name, dir: path.posix.join("clusters", envDir.name, d.name) })),
    )
    .sort((a, b) => a.dir.localeCompare(b.dir));
}
