// The environments are the folders overlays/<env>/ that hold a settings.yaml.
import fs from "node:fs";
import path from "node:path";
import { OVERLAYS_DIR } from "./paths.ts";
import { loadSettingsFile } from "../settings/load.ts";

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

export function overlayDir(env: string, root: string = OVERLAYS_DIR): string {
  return path.join(root, env);
}

/** The policy profile an overlay names in its settings (validated; the schema supplies the default). */
export function overlayProfile(env: string, root: string = OVERLAYS_DIR): string {
  return loadSettingsFile(path.join(root, env, "settings.yaml")).profile;
}
