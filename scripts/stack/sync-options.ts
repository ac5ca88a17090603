// Argo CD sync options every object gets from what it is, in one place (buildStack applies them after the waves).
//
// Objects of CRD kinds (ExternalSecret, ServiceMonitor, PrometheusRule, ...) carry SkipDryRunOnMissingResource:
// without it, a missing CRD fails Argo CD's dry run of the whole sync, so nothing at all is applied (and after
// the retries a manual sync is needed). With it the rest of the stack is applied and only that object fails.
import type { KubeObject, StackObject } from "./types.ts";
import { sortKeys } from "./meta.ts";

export const SYNC_OPTIONS_ANNOTATION = "argocd.argoproj.io/sync-options";
export const SKIP_DRY_RUN_ON_MISSING_RESOURCE = "SkipDryRunOnMissingResource=true";

/** API groups served by Kubernetes itself; every other group comes from a CustomResourceDefinition. */
const BUILT_IN_GROUPS = new Set(["", "apps", "batch", "policy", "autoscaling"]);

/** Groups under k8s.io that are CRDs all the same (Gateway API is installed separately from Kubernetes). */
const CRD_GROUPS_UNDER_K8S_IO = new Set(["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"]);

export function isCustomResource(o: Pick<KubeObject, "apiVersion">): boolean {
  const group = o.apiVersion.includes("/") ? o.apiVersion.slice(0, o.apiVersion.lastIndexOf("/")) : "";
  if (CRD_GROUPS_UNDER_K8S_IO.has(group)) return true;
  return !(BUILT_IN_GROUPS.has(group) || group.endsWith(".k8s.io"));
}

/** Adds one option to an object's sync-options (a comma-separated list), keeping the ones it has. */
function addSyncOption(o: KubeObject, option: string): void {
  const metadata = (o.metadata ??= {});
  const current = metadata.annotations?.[SYNC_OPTIONS_ANNOTATION];
  const options = current ? current.split(",").filter(Boolean) : [];
  if (!options.includes(option)) options.push(option);
  metadata.annotations = sortKeys({ ...metadata.annotations, [SYNC_OPTIONS_ANNOTATION]: options.join(",") });
}

export function applySyncOptions(objects: StackObject[]): StackObject[] {
  for (const { object } of objects) if (isCustomResource(object)) addSyncOption(object, SKIP_DRY_RUN_ON_MISSING_RESOURCE);
  return objects;
}
