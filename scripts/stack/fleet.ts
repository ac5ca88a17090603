// One cluster of a fleet as the model renders it: the environment's settings with the cluster's values put in
// (settings/clusters.ts clusterSettings), and its Jobs named <the environment's Job name>-<hash of the cluster's
// own values>. The environment's name follows what the Job runs there (shapes.ts nameByContent), the suffix what
// the cluster changes: a change of either renames the Job, so re-applying never edits an immutable one, while a
// version bump changes only the environment's overlay (the cluster overlay names no Job: kustomize appends the
// suffix, generate/clusters.ts).
import { clusterSettings, renderedClusterValues, type Cluster } from "../settings/clusters.ts";
import type { Settings } from "../settings/schema.ts";
import { buildStack } from "./index.ts";
import type { StackObject } from "./types.ts";
const { createHash } = process.getBuiltinModule("node:crypto");

/** "-<8 hex>" over the cluster's rendered values; "" when it sets none (its Jobs are the environment's). */
export function clusterJobSuffix(c: Cluster): string {
  const values = renderedClusterValues(c);
  if (!Object.keys(values).length) return "";
  return `-${createHash("sha256").update(JSON.stringify(values)).digest("hex").slice(0, 8)}`;
}

/** A Job's name without its content hash: <prefix>-<tag>, the same in the environment and each of its clusters. */
const withoutContentHash = (name: string) => name.replace(/-[0-9a-f]{8}$/, "");

/** The stack of one fleet cluster (the environment's settings and the cluster entry). */
export function buildClusterStack(env: Settings, c: Cluster): StackObject[] {
  const envJobs = new Map(
    buildStack({ settings: env })
      .filter((o) => o.object.kind === "Job")
      .map((o) => [withoutContentHash(o.object.metadata?.name ?? ""), o.object.metadata?.name ?? ""]),
  );
  const suffix = clusterJobSuffix(c);
  const objects = buildStack({ settings: clusterSettings(env, c) });
  for (const { object } of objects) {
    if (object.kind !== "Job") continue;
    const own = object.metadata?.name ?? "";
    // A Job only this cluster runs (none today: cluster values switch no Job on) keeps its own content name.
    object.metadata = { ...object.metadata, name: `${envJobs.get(withoutContentHash(own)) ?? own}${suffix}` };
  }
  return objects;
}
