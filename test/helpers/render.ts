// Test helpers for "settings in, rendered objects out": edit settings.yaml files in a throwaway copy, run the
// generator in-process, build the overlays with kustomize and read the output as YAML 1.1 (as kustomize does).
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { generate } from "../../scripts/generate/run.ts";
import { kustomizeBuild } from "../../scripts/lib/kustomize.ts";
import { loadAllAsYaml11, toYaml } from "../../scripts/lib/yaml.ts";

export type Json = Record<string, unknown>;

/** Deep merge of plain objects (arrays and scalars replace). */
export function merge(base: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== "object" || Array.isArray(patch) || !base || typeof base !== "object" || Array.isArray(base)) return patch;
  const out: Json = { ...(base as Json) };
  for (const [k, v] of Object.entries(patch as Json)) out[k] = merge(out[k], v);
  return out;
}

/** An object with `value` at the dotted `keyPath` (segments: an array, for keys that contain dots). */
export function at(segments: string[], value: unknown): Json {
  return segments.reduceRight<unknown>((acc, k) => ({ [k]: acc }), value) as Json;
}

export function settingsText(root: string, env: string): string {
  return fs.readFileSync(path.join(root, "overlays", env, "settings.yaml"), "utf8");
}

/** Writes settings.yaml of `env` as its original content merged with `patch` (through the shared emitter). */
export function writeSettings(root: string, env: string, original: string, patch: unknown): void {
  fs.writeFileSync(path.join(root, "overlays", env, "settings.yaml"), toYaml(merge(parse(original) ?? {}, patch)));
}

/** Generates the whole tree in-process, then renders each environment: objects read as YAML 1.1 reads them. */
export async function generateAndRender(root: string, envs: string[]): Promise<Map<string, Json[]>> {
  await generate(root, { check: false });
  const out = new Map<string, Json[]>();
  for (const env of envs) {
    const { yaml } = await kustomizeBuild(path.join(root, "overlays", env));
    out.set(env, loadAllAsYaml11(yaml).filter((o): o is Json => !!o && typeof o === "object"));
  }
  return out;
}

/** Every string-valued map entry `key: value` anywhere in an object tree, with its JSON path. */
export function mapEntries(o: unknown, key: string, pathSoFar = ""): { path: string; value: unknown }[] {
  if (Array.isArray(o)) return o.flatMap((x, i) => mapEntries(x, key, `${pathSoFar}/${i}`));
  if (!o || typeof o !== "object") return [];
  const out: { path: string; value: unknown }[] = [];
  for (const [k, v] of Object.entries(o as Json)) {
    if (k === key) out.push({ path: `${pathSoFar}/${k}`, value: v });
    out.push(...mapEntries(v, key, `${pathSoFar}/${k}`));
  }
  return out;
}
