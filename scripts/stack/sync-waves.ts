// Argo CD sync ordering, in one place. Every object the stack renders gets `argocd.argoproj.io/sync-wave`
// from this table (buildStack applies it); Argo CD applies a wave, waits until it is healthy, then the next.
//
//   config     Namespace, ConfigMaps, Secrets/ExternalSecrets, ServiceAccounts, RBAC, NetworkPolicies, StorageClass
//   data       PostgreSQL and Redis with their Services, claims and volumes
//   migration  the migration Job and the metrics-token Job (Sync hooks: they run after the data stores are healthy)
//   apps       the gateway (Deployment, Service, HPA, PDB), the fast-time server, the admin UIs
//   edge       Ingresses, Gateways and HTTPRoutes, last: traffic arrives only once the backends are ready
//   tests      post-sync Jobs (PostSync hooks: they run after every wave above is healthy)
//
// Claims sit in the data wave with their StatefulSet, not in config: with a WaitForFirstConsumer
// StorageClass a claim stays Pending (Argo CD: Progressing) until a pod uses it, so a claim in an
// earlier wave would hold the sync forever.
// Under plain `kubectl apply` the annotations do nothing and nothing deadlocks either: the gateway's
// init container waits until the schema is at head.
import type { KubeObject, StackObject } from "./types.ts";
import { METRICS_TOKEN } from "./metrics-token.ts";
import { sortKeys } from "./meta.ts";
import { MIGRATION, POSTGRES, POST_SYNC, REDIS } from "./workloads.ts";

export const SYNC_WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave";

export const WAVES = { config: -2, data: -1, migration: 0, apps: 1, edge: 2, tests: 3 } as const;
export type Wave = keyof typeof WAVES;

/** Kinds that configure others and go first whichever component they belong to. */
const CONFIG_KINDS = new Set([
  "Namespace",
  "ConfigMap",
  "Secret",
  "ExternalSecret",
  "SealedSecret",
  "ServiceAccount",
  "Role",
  "RoleBinding",
  "NetworkPolicy",
  // The TLS Secret's issuer and the Gateway's permission to read it come before the Gateway that uses them.
  "Certificate",
  "ReferenceGrant",
  "LimitRange",
  "ResourceQuota",
  // Before the claims that name it (data wave).
  "StorageClass",
]);

/** Workloads by their app.kubernetes.io/name label. */
const WAVE_BY_WORKLOAD: Record<string, Wave> = {
  [POSTGRES.name]: "data",
  [REDIS.name]: "data",
  [MIGRATION.name]: "migration",
  // Mints the Secret the gateway's ServiceMonitor (apps wave) reads, from the credentials of the config wave.
  [METRICS_TOKEN.name]: "migration",
  [POST_SYNC.name]: "tests",
};

/** Kinds that let traffic in: last, once the backends are ready. */
const EDGE_KINDS = new Set(["Ingress", "Gateway", "HTTPRoute"]);

/** The wave of one object: config kinds first, edge kinds last, everything else by the workload it belongs to. */
export function waveOf(o: Pick<KubeObject, "kind" | "metadata">): Wave {
  if (CONFIG_KINDS.has(o.kind)) return "config";
  if (EDGE_KINDS.has(o.kind)) return "edge";
  const workload = o.metadata?.labels?.["app.kubernetes.io/name"] ?? "";
  return WAVE_BY_WORKLOAD[workload] ?? "apps";
}

/** Annotates every object with its wave (kept in key order with the other annotations). */
export function applySyncWaves(objects: StackObject[]): StackObject[] {
  for (const { object } of objects) {
    const metadata = (object.metadata ??= {});
    metadata.annotations = sortKeys({ ...metadata.annotations, [SYNC_WAVE_ANNOTATION]: String(WAVES[waveOf(object)]) });
  }
  return objects;
}
