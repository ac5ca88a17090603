// The environments are the folders overlays/<env>/ that hold a settings.yaml.
import fs from "node:fs";
import path from "node:path";
import { OVERLAYS_DIR } from "./paths.ts";
import { parse } from "yaml";

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

/** The policy profile an overlay names in its settings (`profile:`); production when absent. */
export function overlayProfile(env: string, root: string = OVERLAYS_DIR): string {
  const raw = fs.readFileSync(path.join(root, env, "settings.yaml"), "utf8");
  const doc = parse(raw) as { profile?: unknown } | null;
  return typeof doc?.profile === "string" ? doc.profile : "production";
}
