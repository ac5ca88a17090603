// Fleets: an environment deployed to several clusters (settings.clusters). A cluster's settings are the
// environment's with the few values that must differ per cluster put in; everything else is shared, which is
// why a cluster overlay builds on the environment's overlay instead of copying it.
import type { Settings } from "./schema.ts";
import { isWildcardHost } from "./derived.ts";

export type Cluster = Settings["clusters"][number];
export type Problem = { path: string; message: string; expected?: string };

const IRSA = "eks.amazonaws.com/role-arn";

/** The cluster fields that change rendered objects (destination, stage and shares change only the Argo CD side). */
export const RENDERED_CLUSTER_FIELDS = ["host", "additionalHosts", "region", "gatewayRoleArn", "backupRoleArn", "secretStorePrefix", "backup", "nodeSelector"] as const;

/** A cluster's own rendered values (RENDERED_CLUSTER_FIELDS that it sets), in a fixed order. */
export function renderedClusterValues(c: Cluster): Partial<Pick<Cluster, (typeof RENDERED_CLUSTER_FIELDS)[number]>> {
  const out: Record<string, unknown> = {};
  for (const f of RENDERED_CLUSTER_FIELDS) {
    const v = c[f];
    if (v === undefined || (typeof v === "object" && !Object.keys(v).length)) continue;
    out[f] = v;
  }
  return out;
}

/** The environment's settings as one cluster of its fleet renders them. */
export function clusterSettings(env: Settings, c: Cluster): Settings {
  // The fleet's list is left out of the copy (it is emptied anyway): cloning it for every cluster is quadratic.
  const s = structuredClone({ ...env, clusters: [] }) as Settings;
  s.argocd.destination = { ...c.destination };
  if (c.host) s.ingress.host = c.host;
  if (c.additionalHosts) s.ingress.additionalHosts = [...c.additionalHosts];
  if (c.region) s.backup.s3.region = c.region;
  if (c.gatewayRoleArn) s.gateway.serviceAccountAnnotations = { ...s.gateway.serviceAccountAnnotations, [IRSA]: c.gatewayRoleArn };
  if (c.backupRoleArn) s.backup.serviceAccountAnnotations = { ...s.backup.serviceAccountAnnotations, [IRSA]: c.backupRoleArn };
  if (c.secretStorePrefix) s.credentials.externalSecrets.remoteKeyPrefix = c.secretStorePrefix;
  if (c.backup?.bucket) s.backup.s3.bucket = c.backup.bucket;
  if (c.backup?.prefix) s.backup.s3.prefix = c.backup.prefix;
  if (Object.keys(c.nodeSelector).length) s.nodeSelector = { ...c.nodeSelector };
  return s;
}

/**
 * Where a cluster's identities point, as they render (its own values or the environment's): the cluster's field, or
 * (`inherited`) the environment's key it takes the value from.
 */
export function identitiesOf(env: Settings, c: Cluster): { kind: "host" | "secretStorePrefix" | "backup"; value: string; field: string; inherited?: string }[] {
  const s = clusterSettings(env, c);
  const out: ReturnType<typeof identitiesOf> = [];
  if (s.ingress.enabled) {
    out.push({ kind: "host", value: s.ingress.host, field: "host" });
    s.ingress.additionalHosts.forEach((h, j) =>
      out.push({ kind: "host", value: h, field: `additionalHosts.${j}`, ...(c.additionalHosts ? {} : { inherited: `ingress.additionalHosts.${j}` }) }),
    );
  }
  if (s.credentials.source === "externalSecrets") out.push({ kind: "secretStorePrefix", value: s.credentials.externalSecrets.remoteKeyPrefix, field: "secretStorePrefix" });
  if (s.backup.enabled && s.backup.target === "s3" && s.backup.s3.bucket) out.push({ kind: "backup", value: `s3://${s.backup.s3.bucket}/${s.backup.s3.prefix}`, field: "backup" });
  return out;
}

export const destinationKey = (d: { server?: string; name?: string }) => (d.name ? `cluster ${d.name}` : `server ${d.server}`);

/** What cannot work in a fleet: checked when settings load, each with its key path. */
export function fleetProblems(s: Settings): Problem[] {
  const out: Problem[] = [];
  if (!s.clusters.length) return out;
  const at = (i: number, key: string) => `clusters.${i}.${key}`;
  if (s.credentials.source === "local") {
    out.push({ path: "clusters", message: "local credentials live in a git-ignored file: a fleet is delivered from git by Argo CD", expected: "credentials.source existingSecrets or externalSecrets" });
  }
  const stages = new Set(s.argocd.rollout.map((r) => r.stage));
  const seen = new Map<string, number>();
  const kinds = new Set<string>();
  s.clusters.forEach((c, i) => {
    if (seen.has(`name ${c.name}`)) out.push({ path: at(i, "name"), message: `${c.name} is also clusters.${seen.get(`name ${c.name}`)}`, expected: "a unique cluster name" });
    seen.set(`name ${c.name}`, i);
    if (!stages.has(c.stage)) out.push({ path: at(i, "stage"), message: `stage ${c.stage} is not in argocd.rollout (${[...stages].join(", ")})`, expected: "a stage the rollout updates" });
    const { server, name } = c.destination;
    if (Boolean(server) === Boolean(name)) {
      out.push({ path: at(i, "destination"), message: server ? "both server and name" : "neither server nor name", expected: "exactly one of server or name" });
    } else {
      kinds.add(server ? "server" : "name");
      const key = destinationKey(c.destination);
      if (seen.has(key)) out.push({ path: at(i, "destination"), message: `${key} is also the destination of clusters.${seen.get(key)}`, expected: "one cluster entry per Argo CD cluster" });
      seen.set(key, i);
    }
    if (c.host && isWildcardHost(c.host)) {
      out.push({ path: at(i, "host"), message: `${c.host} is a wildcard: the cluster's host is its gateway's URL (APP_DOMAIN)`, expected: "an exact host name; a wildcard goes in additionalHosts" });
    }
    if (c.secretStorePrefix && s.credentials.source !== "externalSecrets") {
      out.push({ path: at(i, "secretStorePrefix"), message: "the environment does not read External Secrets", expected: "credentials.source externalSecrets, or no secretStorePrefix" });
    }
    if ((c.backup || c.region) && !(s.backup.enabled && s.backup.target === "s3")) {
      out.push({ path: at(i, c.backup ? "backup" : "region"), message: "the environment has no S3 backup", expected: "backup.enabled with target s3" });
    }
  });
  // The ApplicationSet's template names one destination field for every cluster.
  if (kinds.size > 1) out.push({ path: "clusters", message: "some clusters are given by server URL and others by name", expected: "one kind of destination for every cluster of an environment" });
  out.push(...sharedIdentities(s));
  return out;
}

/** Two clusters with one host, secret path or backup location: traffic, credentials or dumps collide. */
function sharedIdentities(s: Settings): Problem[] {
  const out: Problem[] = [];
  const owners = new Map<string, number>();
  s.clusters.forEach((c, i) => {
    for (const { kind, value, field, inherited } of identitiesOf(s, c)) {
      const key = `${kind} ${value}`;
      const first = owners.get(key);
      if (first === undefined) {
        owners.set(key, i);
        continue;
      }
      const declared = c.shares.includes(kind) && s.clusters[first]!.shares.includes(kind);
      if (!declared) {
        out.push({
          path: inherited ?? `clusters.${i}.${field}`,
          message: `${kind} ${value} is also clusters.${first} (${s.clusters[first]!.name})'s${inherited ? `: clusters.${i} (${c.name}) inherits it` : ""}`,
          expected: inherited
            ? `each cluster's own clusters[].additionalHosts, or shares: [${kind}] on both clusters when sharing is intended`
            : `a value of this cluster's own, or shares: [${kind}] on both clusters when sharing is intended`,
        });
      }
    }
  });
  return out;
}
