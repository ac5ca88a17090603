// What an environment installs, read from its settings and from its rendered objects (the source of truth):
// which kinds (for permissions and teardown), which CRDs, StorageClasses, IngressClasses, manual
// PersistentVolumes, whether it has an HPA, whether Argo CD delivers it.
import { UsageError } from "../lib/cli.ts";
import { listOverlays } from "../lib/overlays.ts";
import { groupOf, parseManifests } from "../lib/manifest.ts";
import { OVERLAYS_DIR } from "../lib/paths.ts";
import { defaultSettings, loadSettingsFile } from "../settings/load.ts";
import type { Settings } from "../settings/schema.ts";
import { applicationName, ARGOCD_NAMESPACE, argoCdDelivery, clusterPath } from "../settings/derived.ts";
import { clusterSettings } from "../settings/clusters.ts";
import type { KubeJson } from "./kubectl.ts";
const path = process.getBuiltinModule("node:path");

/**
 * Oldest Kubernetes minor the stack is supported on. 1.29 because:
 *  - PodDisruptionBudget spec.unhealthyPodEvictionPolicy (we set AlwaysAllow) is on by default from 1.27
 *    (beta) and GA in 1.31; an older API server drops the field silently and a crash-looping gateway pod
 *    then blocks node drains;
 *  - the Namespace's Pod Security labels (`enforce: restricted`, GA 1.25), autoscaling/v2 HPAs with
 *    scaleDown behaviour (GA 1.23) and Job ttlSecondsAfterFinished (GA 1.23) come with it;
 *  - 1.29 is the oldest minor still in a major provider's (EKS extended) support; anything older no
 *    longer receives security fixes.
 */
export const MIN_SERVER_VERSION = { major: 1, minor: 29 } as const;

export interface ArgoCdTarget {
  application: string;
  namespace: string;
}

export interface Target {
  /** The environment, or undefined for the base with default settings (preflight without ENV). */
  env?: string;
  settings: Settings;
  namespace: string;
  objects: KubeJson[];
  argocd?: ArgoCdTarget;
}

/**
 * Renders an environment (kustomize build) from its settings, loaded once by the caller. Without env: the stack with
 * default settings, straight from the model (base/ alone lacks the Components the defaults switch on, e.g. the Ingress).
 */
export async function loadTarget(env: string | undefined, settings: Settings = env ? loadSettingsFile(path.join(OVERLAYS_DIR, env, "settings.yaml")) : defaultSettings(), root = OVERLAYS_DIR): Promise<Target> {
  if (!env) {
    // The model (here) and the renderer (below) load only when a target is loaded: a usage error never pays for them.
    const { buildStack } = await import("../stack/index.ts");
    const objects = buildStack({ settings }).map((so) => JSON.parse(JSON.stringify(so.object.toJSON())) as KubeJson);
    return { env, settings, namespace: settings.namespace, objects };
  }
  const { renderOverlay } = await import("../lib/render.ts");
  return targetFrom(env, settings, (await renderOverlay(env, settings, root)).yaml);
}

/** The fleet cluster named by --cluster; an unknown one is a usage error (checked before any cluster is contacted). */
export function fleetCluster(env: string, settings: Settings, cluster: string): Settings["clusters"][number] {
  const c = settings.clusters.find((x) => x.name === cluster);
  if (!c) {
    throw new UsageError(`environment ${env} has no cluster ${cluster}`, {
      expected: settings.clusters.length ? `one of ${settings.clusters.map((x) => x.name).join(", ")}` : "no --cluster: it is not a fleet",
    });
  }
  return c;
}

/**
 * One cluster of a fleet: its overlay clusters/<env>/<cluster> rendered, its settings (the environment's with the
 * cluster's values) and the Application the ApplicationSet generates for it. An unknown cluster is a usage error.
 */
export async function loadClusterTarget(env: string, settings: Settings, cluster: string, repoRoot = path.dirname(OVERLAYS_DIR)): Promise<Target> {
  const c = fleetCluster(env, settings, cluster);
  const { kustomizeBuild } = await import("../lib/kustomize.ts");
  const yaml = (await kustomizeBuild(path.join(repoRoot, clusterPath(env, cluster)))).yaml;
  const t = targetFrom(env, clusterSettings(settings, c), yaml);
  return { ...t, ...(settings.argocd.enabled ? { argocd: { application: applicationName(env, cluster), namespace: ARGOCD_NAMESPACE } } : {}) };
}

export function targetFrom(env: string | undefined, settings: Settings, yaml: string): Target {
  const objects = parseManifests(yaml) as KubeJson[];
  const argocd = argoCdDelivery(env, settings);
  return { env, settings, namespace: settings.namespace, objects, ...(argocd ? { argocd } : {}) };
}

export const ofKind = (t: Target, kind: string): KubeJson[] => t.objects.filter((o) => o.kind === kind);
export const nameOf = (o: KubeJson): string => o.metadata?.name ?? "?";

/** API groups served by Kubernetes itself; any other group is a CRD that must be installed first. */
const BUILTIN_GROUPS = new Set([
  "",
  "apps",
  "batch",
  "autoscaling",
  "policy",
  "networking.k8s.io",
  "rbac.authorization.k8s.io",
  "storage.k8s.io",
  "scheduling.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "node.k8s.io",
  "certificates.k8s.io",
]);

const CLUSTER_SCOPED = new Set([
  "Namespace",
  "PersistentVolume",
  "StorageClass",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "IngressClass",
  "PriorityClass",
  "ClusterSecretStore",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
]);

/** Plural resource names kubectl and the API use; the rest are lower(kind)+"s". */
const PLURALS: Record<string, string> = {
  Ingress: "ingresses",
  NetworkPolicy: "networkpolicies",
  PodDisruptionBudget: "poddisruptionbudgets",
  PersistentVolumeClaim: "persistentvolumeclaims",
  PersistentVolume: "persistentvolumes",
  StorageClass: "storageclasses",
  IngressClass: "ingressclasses",
  PriorityClass: "priorityclasses",
  ClusterSecretStore: "clustersecretstores",
};

export interface Resource {
  kind: string;
  group: string;
  /** "deployments.apps", "ingresses.networking.k8s.io", "configmaps": what can-i, get and delete accept. */
  resource: string;
  plural: string;
  namespaced: boolean;
  crd: boolean;
}

export function resourceOf(kind: string, apiVersion: string | undefined): Resource {
  const group = groupOf(apiVersion);
  const plural = PLURALS[kind] ?? `${kind.toLowerCase()}s`;
  return {
    kind,
    group,
    plural,
    resource: group ? `${plural}.${group}` : plural,
    namespaced: !CLUSTER_SCOPED.has(kind),
    crd: !BUILTIN_GROUPS.has(group),
  };
}

/** Every distinct kind the target renders, in first-seen order. */
export function resourcesOf(t: Target): Resource[] {
  const seen = new Map<string, Resource>();
  for (const o of t.objects) {
    const r = resourceOf(o.kind!, o.apiVersion);
    if (!seen.has(r.resource)) seen.set(r.resource, r);
  }
  return [...seen.values()];
}

/** CRDs the target needs: the custom kinds it renders, plus Argo CD's Application when Argo CD delivers it. */
export function requiredCrds(t: Target): { crd: string; kind: string; why: string }[] {
  const out = resourcesOf(t)
    .filter((r) => r.crd)
    .map((r) => ({ crd: `${r.plural}.${r.group}`, kind: r.kind, why: `renders ${r.kind}` }));
  if (t.argocd) out.push({ crd: "applications.argoproj.io", kind: "Application", why: "delivered by Argo CD" });
  return out;
}

export interface ClaimNeed {
  claim: string;
  /** undefined = the cluster's default StorageClass; "" = a manual PersistentVolume; else that class. */
  storageClassName: string | undefined;
  volumeName?: string;
}

export function claimsOf(t: Target): ClaimNeed[] {
  return ofKind(t, "PersistentVolumeClaim").map((pvc) => ({
    claim: nameOf(pvc),
    storageClassName: pvc.spec?.storageClassName as string | undefined,
    ...(pvc.spec?.volumeName ? { volumeName: String(pvc.spec.volumeName) } : {}),
  }));
}

/** Claims the environment mounts but does not render: adopted from a previous install (persistence.existingClaim). */
export function adoptedClaimsOf(t: Target): { store: "postgres" | "redis"; claim: string }[] {
  return (["postgres", "redis"] as const).flatMap((store) => {
    const p = t.settings[store].persistence;
    return p.enabled && p.existingClaim ? [{ store, claim: p.existingClaim }] : [];
  });
}

export function ingressClassesOf(t: Target): string[] {
  const names = ofKind(t, "Ingress")
    .map((i) => i.spec?.ingressClassName as string | undefined)
    .filter((n): n is string => Boolean(n));
  return [...new Set(names)];
}

export const hasHpa = (t: Target): boolean => ofKind(t, "HorizontalPodAutoscaler").length > 0;

/** The environment named on the command line (a usage error when unknown) and its settings, before any rendering. */
export function resolveEnv(env: string | undefined, root = OVERLAYS_DIR): { env?: string; settings: Settings } {
  if (!env) return { settings: defaultSettings() };
  const known = listOverlays(root);
  if (!known.includes(env)) throw new UsageError(`no such environment: ${env}`, { expected: `one of ${known.join(", ")}` });
  return { env, settings: loadSettingsFile(path.join(root, env, "settings.yaml")) };
}
