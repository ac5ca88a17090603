// Shared fixtures of the day-2 tests: settings variants, the model's objects as plain JSON, small matchers.
import path from "node:path";
import { renderOverlays } from "../../scripts/lib/render.ts";
import { loadEnvironments } from "../../scripts/lib/overlays.ts";
import { parseAllDocuments, stringify } from "yaml";
import { buildStack } from "../../scripts/stack/index.ts";
import { defaultSettings, loadSettingsFile, parseSettings } from "../../scripts/settings/load.ts";
import type { Settings } from "../../scripts/settings/schema.ts";
import type { ComponentName } from "../../scripts/stack/types.ts";
import { plain } from "../../scripts/generate/emit.ts";
import { OVERLAYS_DIR, REPO_ROOT } from "../../scripts/lib/paths.ts";

export type Any = Record<string, any>;
export { REPO_ROOT };

export const eksSettings = (): Settings => loadSettingsFile(path.join(OVERLAYS_DIR, "eks", "settings.yaml"));
export const devSettings = (): Settings => loadSettingsFile(path.join(OVERLAYS_DIR, "dev", "settings.yaml"));
export const settingsFrom = (yaml: string): Settings => parseSettings(yaml, "test.yaml");
export { defaultSettings };

export interface Rendered {
  all: Any[];
  of: (component: ComponentName) => Any[];
  find: (kind: string, name: string) => Any;
  maybe: (kind: string, name: string) => Any | undefined;
}

export function render(settings: Settings, localCredentials?: Record<string, Record<string, string>>): Rendered {
  const stack = buildStack({ settings, localCredentials });
  const all = stack.map((o) => plain(o.object) as Any);
  const maybe = (kind: string, name: string) => all.find((o) => o.kind === kind && o.metadata.name === name);
  return {
    all,
    of: (component) => stack.filter((o) => o.component === component).map((o) => plain(o.object) as Any),
    maybe,
    find: (kind, name) => {
      const o = maybe(kind, name);
      if (!o) throw new Error(`${kind}/${name} not rendered`);
      return o;
    },
  };
}

export const toYaml = (objects: Any[]) => objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");

/** The objects an overlay renders (through the one render path: works without local credentials too). */
export async function renderEnv(env: string): Promise<Any[]> {
  return parseAllDocuments((await renderOverlays(loadEnvironments(), [env]))[0]!.yaml)
    .map((d) => d.toJS() as Any | null)
    .filter((o): o is Any => o !== null);
}

export const matches = (selector: Record<string, string> = {}, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

export const podSpecOf = (o: Any): Any =>
  o.kind === "CronJob" ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
export const podLabelsOf = (o: Any): Record<string, string> =>
  o.kind === "CronJob" ? o.spec.jobTemplate.spec.template.metadata.labels : o.spec.template.metadata.labels;
export const containersOf = (o: Any): Any[] => [...(podSpecOf(o).initContainers ?? []), ...podSpecOf(o).containers];
export const envOf = (c: Any): Record<string, any> =>
  Object.fromEntries((c.env ?? []).map((e: Any) => [e.name, e.value ?? e.valueFrom]));

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
export const githubAnchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

/** Every pod-running object: the checks every workload of the stack passes. */
export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "Job", "CronJob"];
