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

export function overlayDir(env: string, root: string = OVERLAYS_DIR): string {
  return path.join(root, env);
}

/** The policy profile an overlay names in its settings (validated; the schema supplies the default). */
export function overlayProfile(env: string, root: string = OVERLAYS_DIR): string {
  return loadSettingsFile(path.join(root, env, "settings.yaml")).profile;
}
