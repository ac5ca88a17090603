// Names, labels and metadata shared by every component.
import type { Settings } from "../settings/schema.ts";

import { PART_OF } from "../settings/derived.ts";

export { PART_OF };
export const INSTANCE = "mcp-stack";
export const MANAGED_BY = "kustomize";

/** The identity of one workload: its object names and its app.kubernetes.io labels. */
export interface Workload {
  /** Name of the Deployment/StatefulSet/Job, its Service and ServiceAccount. */
  name: string;
  /** app.kubernetes.io/component */
  component: string;
  /** The image tag it runs (not a label: app.kubernetes.io/version is the stack's version, see stackVersionLabel). */
  version: string;
}

/** Selector labels: only the stable identity labels, because selectors are immutable on live objects. */
export function selectorLabels(w: Pick<Workload, "name">): Record<string, string> {
  return { "app.kubernetes.io/name": w.name, "app.kubernetes.io/instance": INSTANCE };
}

export function workloadLabels(w: Workload, settings: Settings): Record<string, string> {
  return {
    ...selectorLabels(w),
    "app.kubernetes.io/component": w.component,
    "app.kubernetes.io/part-of": PART_OF,
    "app.kubernetes.io/managed-by": MANAGED_BY,
    ...settings.labels,
  };
}

export const VERSION_LABEL = "app.kubernetes.io/version";

/**
 * app.kubernetes.io/version: the stack's release, which is the gateway's image tag, on every object's metadata and
 * on no pod template or selector. Set by one kustomize `labels` entry per kustomization (base and each overlay),
 * so a version bump changes one line, restarts nothing that did not change and renames no selector.
 */
export const stackVersionLabel = (s: Settings): Record<string, string> => ({ [VERSION_LABEL]: s.gateway.image.tag });

/** Labels of objects that belong to the whole stack rather than one workload (Namespace, default policies). */
export function stackLabels(settings: Settings, component = "stack"): Record<string, string> {
  return {
    "app.kubernetes.io/name": PART_OF,
    "app.kubernetes.io/instance": INSTANCE,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": PART_OF,
    "app.kubernetes.io/managed-by": MANAGED_BY,
    ...settings.labels,
  };
}

export function metadata(
  name: string,
  labels: Record<string, string>,
  settings: Settings,
  annotations: Record<string, string> = {},
) {
  const all = { ...annotations, ...settings.annotations };
  return {
    name,
    namespace: settings.namespace,
    labels,
    ...(Object.keys(all).length ? { annotations: sortKeys(all) } : {}),
  };
}

/** Metadata of a cluster-scoped object (no namespace); the stack-wide `annotations` setting applies here too. */
export function clusterMetadata(name: string, labels: Record<string, string>, settings: Settings, annotations: Record<string, string> = {}) {
  const all = { ...annotations, ...settings.annotations };
  return { name, labels, ...(Object.keys(all).length ? { annotations: sortKeys(all) } : {}) };
}

/**
 * Pod (and CronJob job) template metadata: the workload's labels, its own pod annotations and the stack-wide
 * `annotations` setting, which kustomize's commonAnnotations also writes into templates; the model says the same.
 */
export function templateMetadata(w: Workload, settings: Settings, podAnnotations: Record<string, string> = {}) {
  const all = { ...podAnnotations, ...settings.annotations };
  return { labels: workloadLabels(w, settings), ...(Object.keys(all).length ? { annotations: sortKeys(all) } : {}) };
}

export function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** An image reference from settings: repository:tag, or repository:tag@digest when pinned. */
export function imageRef(image: { repository: string; tag: string; digest?: string }): string {
  return `${image.repository}:${image.tag}${image.digest ? `@${image.digest}` : ""}`;
}
