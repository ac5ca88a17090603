// Prometheus exporters for PostgreSQL and Redis (component monitoring): one small Deployment each, so the
// data stores' own pods stay untouched. Each reads the store's credentials Secret, is reached only by
// Prometheus, and reaches only its store; the store's side of that connection is a NetworkPolicy of its
// own in the component (as with the admin UIs), so base stays closed without it.
//
// Singletons by design: a second replica would duplicate every series and double the load on the store.
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { Settings } from "../settings/schema.ts";
import { imageRef, type Workload } from "./meta.ts";
import {
  hardenedContainer,
  hardenedDeployment,
  httpGet,
  literalEnv,
  secretEnv,
  service,
  serviceAccount,
} from "./shapes.ts";
import { admittingPolicy, workloadPolicy } from "./network.ts";
import { SECRETS } from "./credentials.ts";
import { postgresWorkload } from "./postgres.ts";
import { redisWorkload } from "./redis.ts";
import type { StackObject } from "./types.ts";
import { POSTGRES, POSTGRES_EXPORTER, REDIS, REDIS_EXPORTER } from "./workloads.ts";

const SOURCE = "scripts/stack/exporters.ts";

const SINGLETON = {
  "policy.mcp-stack.dev/ignore-min-replicas":
    "an exporter is a singleton: a second replica duplicates every series and doubles the load on the data store",
};

/** Prometheus's pods: its namespace, narrowed by pod labels when settings name them. */
export function prometheusPeer(s: Settings): INetworkPolicyPeer {
  const m = s.monitoring;
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": m.prometheusNamespace } },
    ...(Object.keys(m.prometheusPodLabels).length ? { podSelector: { matchLabels: { ...m.prometheusPodLabels } } } : {}),
  };
}

interface ExporterSpec {
  name: string;
  port: number;
  uid: number;
  image: Settings["monitoring"]["postgresExporter"];
  env: ReturnType<typeof literalEnv>;
  probePath: string;
  store: { workload: Workload; port: number };
}

function exporter(s: Settings, e: ExporterSpec): StackObject[] {
  const w: Workload = { name: e.name, component: "monitoring", version: e.image.tag };
  const probe = (periodSeconds: number, failureThreshold: number) =>
    httpGet(e.probePath, "metrics", { periodSeconds, timeoutSeconds: 5, failureThreshold });
  const deployment = hardenedDeployment(w, s, {
    uid: e.uid,
    annotations: SINGLETON,
    replicas: 1,
    revisionHistoryLimit: 3,
    pod: {
      containers: [
        hardenedContainer({
          name: "exporter",
          image: imageRef(e.image),
          pullPolicy: e.image.pullPolicy,
          ports: [{ name: "metrics", containerPort: e.port, protocol: "TCP" }],
          env: e.env,
          readinessProbe: probe(10, 3),
          livenessProbe: probe(30, 6),
          resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
        }),
      ],
    },
  });
  const store = e.store.workload;
  return [
    { object: serviceAccount(w, s), source: SOURCE, component: "monitoring" },
    { object: deployment, source: SOURCE, component: "monitoring" },
    { object: service(w, s, [{ name: "metrics", port: e.port, targetPort: "metrics" }]), source: SOURCE, component: "monitoring" },
    { object: workloadPolicy(w, s), source: SOURCE, component: "monitoring" },
    { object: admittingPolicy(w.name, store, s), source: SOURCE, component: "monitoring" },
  ];
}

export function exporters(s: Settings): StackObject[] {
  const m = s.monitoring;
  return [
    ...exporter(s, {
      ...POSTGRES_EXPORTER,
      image: m.postgresExporter,
      probePath: "/",
      env: [
        ...literalEnv({ DATA_SOURCE_URI: `${POSTGRES.name}:${POSTGRES.port}/${s.postgres.database}?sslmode=disable` }),
        secretEnv("DATA_SOURCE_USER", SECRETS.postgres.name, "POSTGRES_USER"),
        secretEnv("DATA_SOURCE_PASS", SECRETS.postgres.name, "POSTGRES_PASSWORD"),
      ],
      store: { workload: postgresWorkload(s), port: POSTGRES.port },
    }),
    ...exporter(s, {
      ...REDIS_EXPORTER,
      image: m.redisExporter,
      probePath: "/health",
      env: [
        ...literalEnv({ REDIS_ADDR: `redis://${REDIS.name}:${REDIS.port}` }),
        secretEnv("REDIS_PASSWORD", SECRETS.redis.name),
      ],
      store: { workload: redisWorkload(s), port: REDIS.port },
    }),
  ];
}
