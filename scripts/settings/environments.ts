// Rules across environments: what two environments must not share by accident. A copied environment keeps
// the original's host, secret-store path, backup location and IAM roles; deployed, it would serve the other's
// traffic, read (and with ExternalSecrets write) its credentials, overwrite and prune its dumps and act with
// its cloud permissions. Sharing is allowed only when both environments list it in `shares`.
import { hostnameMatches } from "@mcp-stack/policy-engine/routes"; // (the engine itself is not loaded)
import type { Settings } from "./schema.ts";
import { clusterSettings } from "./clusters.ts";
import { environmentNameProblem } from "./api-rules.ts";
const path = process.getBuiltinModule("node:path");

type Kind = Settings["shares"][number];

/** Service-account annotations that name a cloud identity (IRSA, GKE and Azure workload identity). */
const ROLE_ANNOTATIONS = ["eks.amazonaws.com/role-arn", "iam.gke.io/gcp-service-account", "azure.workload.identity/client-id"];

const WHAT: Record<Kind, string> = {
  host: "both would serve (and take over) the same traffic",
  secretStorePrefix: "both would read the same credentials from the secret store",
  backup: "both would write, and prune, the same dumps",
  iamRole: "both would act with the same cloud permissions",
};

export interface Identity {
  kind: Kind;
  value: string;
  /** Key path in the environment's settings.yaml. */
  path: string;
}

/** The identities an environment (and each of its clusters) uses. */
export function identitiesOf(s: Settings): Identity[] {
  // A cluster's key path: its own field when it sets one, else the environment's key it inherits.
  const variants: { s: Settings; at: (field: string, fallback: string) => string }[] = [
    { s, at: (_field, fallback) => fallback },
    ...s.clusters.map((c, i) => ({
      s: clusterSettings(s, c),
      at: (field: string, fallback: string) => (field.startsWith("additionalHosts") && !c.additionalHosts ? fallback : `clusters.${i}.${field}`),
    })),
  ];
  const out = new Map<string, Identity>();
  const add = (kind: Kind, value: string | undefined, p: string) => {
    if (value && !out.has(`${kind} ${value}`)) out.set(`${kind} ${value}`, { kind, value, path: p });
  };
  for (const v of variants) {
    const x = v.s;
    if (x.ingress.enabled) {
      add("host", x.ingress.host, v.at("host", "ingress.host"));
      x.ingress.additionalHosts.forEach((h, j) => add("host", h, v.at(`additionalHosts.${j}`, `ingress.additionalHosts.${j}`)));
    }
    if (x.credentials.source === "externalSecrets") {
      const e = x.credentials.externalSecrets;
      add("secretStorePrefix", `${e.storeKind} ${e.storeName}: ${e.remoteKeyPrefix}/`, v.at("secretStorePrefix", "credentials.externalSecrets.remoteKeyPrefix"));
    }
    if (x.backup.enabled && x.backup.target === "s3" && x.backup.s3.bucket) {
      add("backup", `s3://${x.backup.s3.bucket}/${x.backup.s3.prefix}`, v.at("backup", "backup.s3.prefix"));
    }
    const accounts: [string, Record<string, string>, string][] = [
      ["gateway.serviceAccountAnnotations", x.gateway.serviceAccountAnnotations, "gatewayRoleArn"],
      ...(x.backup.enabled ? ([["backup.serviceAccountAnnotations", x.backup.serviceAccountAnnotations, "backupRoleArn"]] as [string, Record<string, string>, string][]) : []),
    ];
    for (const [at, annotations, field] of accounts) {
      for (const key of ROLE_ANNOTATIONS) if (annotations[key]) add("iamRole", annotations[key], v.at(field, `${at}.${key}`));
    }
  }
  return [...out.values()];
}

export interface EnvironmentProblem {
  env: string;
  path: string;
  message: string;
  expected: string;
}

/** Identities shared by two environments without both saying so; environment folder names the API server refuses. */
export function environmentProblems(envs: ReadonlyMap<string, Settings>): EnvironmentProblem[] {
  const out: EnvironmentProblem[] = [];
  for (const env of envs.keys()) {
    const p = environmentNameProblem(env);
    if (p) out.push({ env, ...p, expected: p.expected ?? "" });
  }
  const owner = new Map<string, string>();
  const hosts: { env: string; host: string }[] = [];
  for (const [env, s] of [...envs].sort(([a], [b]) => a.localeCompare(b))) {
    for (const id of identitiesOf(s)) {
      const key = `${id.kind} ${id.value}`;
      // A *.wildcard of an earlier environment that covers this host takes its traffic as surely as the same name.
      const coveredBy = id.kind === "host" ? hosts.find((h) => h.env !== env && h.host !== id.value && hostnameMatches(h.host, id.value)) : undefined;
      if (id.kind === "host") hosts.push({ env, host: id.value });
      const exact = owner.get(key);
      const first = exact ?? coveredBy?.env;
      if (first === undefined || first === env) {
        owner.set(key, env);
        continue;
      }
      if (exact === undefined) owner.set(key, env);
      if (s.shares.includes(id.kind) && envs.get(first)!.shares.includes(id.kind)) continue;
      out.push({
        env,
        path: id.path,
        message: `${label(id.kind)} ${id.value} is ${exact !== undefined ? `also environment ${first}'s` : `covered by environment ${first}'s ${coveredBy!.host}`} (${path.posix.join("overlays", first, "settings.yaml")}): ${WHAT[id.kind]}`,
        expected: `a value of this environment's own, or shares: [${id.kind}] in both environments when sharing is intended`,
      });
    }
  }
  return out;
}

function label(kind: Kind): string {
  return { host: "host", secretStorePrefix: "secret-store path", backup: "backup location", iamRole: "IAM role" }[kind];
}
