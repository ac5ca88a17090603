// The kustomizations planOverlay (project.ts) builds before it writes an environment's patches, derived back from the
// overlay's generated kustomization.yaml: every field but `patches`, `resources` only the base (no added objects, no
// hand-written extras), `images` left out for the first build and kept for the second (made only when the overlay has
// images). planOverlay's final kustomization is its first one plus images, added resources and the patches text, so
// for an overlay that is up to date these are byte for byte the texts it builds first: check starts them before it
// loads the generator (scripts/check/prefetch.ts), and the generator's builds of the same inputs join them
// (kustomize-cache.ts keys builds by their files' bytes). test/check-prefetch.test.ts holds the two together.
import jsyaml from "js-yaml";
import { toYaml } from "../lib/yaml.ts";

export const BASE_RESOURCE = "../../base";

export interface PrePatchBuild {
  /** kustomization.yaml as planOverlay writes it for this build. */
  text: string;
  /** Files of the overlay folder the build reads (generator inputs), relative to it. */
  files: string[];
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The builds planOverlay makes before its patches, for the overlay whose kustomization.yaml is `text` (none when it is not one). */
export function prePatchBuilds(text: string): PrePatchBuild[] {
  // js-yaml's core schema reads what the yaml package reads by default (YAML 1.2 core), several times faster cold:
  // this runs first in every gate.
  const k = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) as Record<string, unknown> | null;
  if (!k || typeof k !== "object" || Array.isArray(k) || k.kind !== "Kustomization") return [];
  const { patches: _, images, ...rest } = k;
  const files: string[] = [];
  for (const g of [...list(rest.configMapGenerator), ...list(rest.secretGenerator)]) {
    const gen = (g ?? {}) as { files?: unknown; envs?: unknown; env?: unknown };
    for (const f of [...list(gen.files), ...list(gen.envs), ...list(gen.env)]) {
      if (typeof f !== "string") return [];
      files.push(f.includes("=") ? f.slice(f.indexOf("=") + 1) : f);
    }
  }
  // Spread keeps each key where it was; planOverlay adds `images` last, after the generators.
  const first = { ...rest, resources: [BASE_RESOURCE] };
  return [{ text: toYaml(first), files }, ...(images === undefined ? [] : [{ text: toYaml({ ...first, images }), files }])];
}
