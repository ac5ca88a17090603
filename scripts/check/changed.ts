// `check --changed REF`: which targets a change since REF can affect, from the files git reports. A target whose
// inputs did not change is reported as unchanged and not rendered at all; a change to anything shared (base,
// components, scripts, policy, schemas, packages) checks everything.
import jsyaml from "js-yaml";
import { UsageError } from "../lib/cli.ts";
import type { GenerateScope } from "../generate/run.ts";
const { execFileSync } = process.getBuiltinModule("node:child_process");
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const { isDeepStrictEqual } = process.getBuiltinModule("node:util");

export interface ChangedScope extends GenerateScope {
  root: boolean;
  files: string[];
}

function git(root: string, args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? "").trim().split("\n")[0];
    throw new UsageError(`--changed: git ${args.join(" ")}: ${stderr || (err as Error).message}`, { expected: "a commit, branch or tag of this repository" });
  }
}

/** Files changed since ref (committed, staged, in the work tree, or new and not ignored). */
export function changedFiles(root: string, ref: string): string[] {
  try {
    execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: root, stdio: "ignore" });
  } catch {
    throw new UsageError(`--changed ${ref}: unknown git ref`, { expected: "a commit, branch or tag of this repository (git fetch it first in a shallow CI clone)" });
  }
  const tracked = git(root, ["diff", "--name-only", ref, "--", "."]).split("\n");
  const untracked = git(root, ["ls-files", "--others", "--exclude-standard"]).split("\n");
  return [...new Set([...tracked, ...untracked].filter(Boolean))].sort();
}

/** Files that only document: they affect no rendered target. */
const DOCS = /(^|\/)[^/]+\.md$/;

/**
 * The targets the changed files can affect, or "all". Editing one cluster's entry in an environment's settings
 * affects that cluster (and the root), not the environment or its other clusters.
 */
export function changedScope(root: string, ref: string): ChangedScope | "all" {
  const files = changedFiles(root, ref);
  const scope: ChangedScope = { envs: new Set(), clusters: new Map(), root: false, files };
  const addCluster = (env: string, cluster: string) => scope.clusters.set(env, new Set([...(scope.clusters.get(env) ?? []), cluster]));
  for (const file of files) {
    if (DOCS.test(file)) continue;
    if (file.startsWith("argocd/") || file === "kustomization.yaml") {
      scope.root = true;
      continue;
    }
    const cluster = /^clusters\/([^/]+)\/([^/]+)\//.exec(file);
    if (cluster) {
      addCluster(cluster[1]!, cluster[2]!);
      continue;
    }
    const overlay = /^overlays\/([^/]+)\/(.+)$/.exec(file);
    if (!overlay) return "all";
    const [, env, rest] = overlay as unknown as [string, string, string];
    scope.root = true; // the Argo CD objects derive from every environment's settings
    if (rest !== "settings.yaml") {
      scope.envs.add(env);
      continue;
    }
    const before = settingsAt(root, ref, `overlays/${env}/settings.yaml`);
    const after = settingsAt(root, undefined, `overlays/${env}/settings.yaml`);
    const { clusters: was = [], ...restBefore } = before;
    const { clusters: now = [], ...restAfter } = after;
    if (!isDeepStrictEqual(restBefore, restAfter)) {
      scope.envs.add(env);
      continue;
    }
    const byName = (list: unknown) => new Map((Array.isArray(list) ? list : []).map((c: { name?: unknown }) => [String(c?.name), c]));
    const old = byName(was);
    const cur = byName(now);
    for (const name of new Set([...old.keys(), ...cur.keys()])) {
      if (!isDeepStrictEqual(old.get(name), cur.get(name))) addCluster(env, name);
    }
  }
  return scope;
}

/** A settings file as raw data at ref (undefined = the work tree); absent or unreadable = {}. */
function settingsAt(root: string, ref: string | undefined, file: string): Record<string, unknown> {
  let text: string;
  try {
    text = ref === undefined ? fs.readFileSync(path.join(root, file), "utf8") : git(root, ["show", `${ref}:${file}`]);
  } catch {
    return {};
  }
  try {
    // Only compared, never reported: js-yaml's core schema (the YAML 1.2 the settings loader reads) is several times
    // faster than the yaml package; duplicate keys are the loader's to report (json: the last one wins).
    const data = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, json: true }) as unknown;
    return data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
