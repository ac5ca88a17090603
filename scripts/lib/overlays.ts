// The environments are the folders overlays/<env>/ that hold a settings.yaml.
import fs from "node:fs";
import path from "node:path";
import { OVERLAYS_DIR, relativeToRepo } from "./paths.ts";
import { lineOfSetting, loadSettingsFile, SettingsError } from "../settings/load.ts";
import { environmentProblems } from "../settings/environments.ts";
import type { Settings } from "../settings/schema.ts";

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

/**
 * Every environment's validated settings, read once per run and passed down to every stage that needs them.
 * All are loaded before anything is done, so one bad settings.yaml stops the run before anything is written.
 */
export function loadEnvironments(root: string = OVERLAYS_DIR): Map<string, Settings> {
  const envs = new Map(listOverlays(root).map((env) => [env, loadSettingsFile(path.join(root, env, "settings.yaml"))]));
  const problems = environmentProblems(envs);
  if (problems.length) {
    // Reported per file, with lines, as a settings file's own problems are.
    const env = problems[0]!.env;
    const list = problems.filter((p) => p.env === env);
    const file = path.join(root, env, "settings.yaml");
    const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    throw new SettingsError(
      relativeToRepo(file),
      list.map((p) => ({ path: p.path, message: p.message, expected: p.expected, line: p.path.startsWith("(") ? undefined : lineOfSetting(text, p.path) })),
    );
  }
  return envs;
}
