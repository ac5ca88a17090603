// PgAdmin (Kustomize Component "pgadmin"): a web UI for PostgreSQL, reached with kubectl port-forward.
import type { Settings } from "../settings/schema.ts";
import { type Workload } from "./meta.ts";
import {
  hardenedContainer,
  hardenedDeployment,
  httpGet,
  literalEnv,
  scratchDirs,
  secretEnv,
  service,
  serviceAccount,
} from "./shapes.ts";
import { podPeer, workloadPolicy } from "./network.ts";
import { SECRETS } from "./credentials.ts";
import { postgresWorkload } from "./postgres.ts";
import type { StackObject } from "./types.ts";
import { PGADMIN, POSTGRES } from "./workloads.ts";

const SOURCE = "scripts/stack/pgadmin.ts";

export function pgadmin(s: Settings): StackObject[] {
  if (!s.adminUIs.pgadmin) return [];
  const w: Workload = { name: PGADMIN.name, component: PGADMIN.component, version: PGADMIN.tag };
  const scratch = scratchDirs({ data: "/var/lib/pgadmin", tmp: "/tmp" });
  const deployment = hardenedDeployment(w, s, {
    uid: PGADMIN.uid,
    replicas: 1,
    pod: {
      containers: [
        hardenedContainer({
          name: "pgadmin",
          image: `${PGADMIN.image}:${PGADMIN.tag}`,
          pullPolicy: "IfNotPresent",
          ports: [{ name: "http", containerPort: PGADMIN.port, protocol: "TCP" }],
          env: [
            secretEnv("PGADMIN_DEFAULT_EMAIL", SECRETS.pgadmin.name),
            secretEnv("PGADMIN_DEFAULT_PASSWORD", SECRETS.pgadmin.name),
            // An unprivileged port: every capability is dropped, so port 80 cannot be bound.
            ...literalEnv({ PGADMIN_LISTEN_PORT: String(PGADMIN.port), PGADMIN_DISABLE_POSTFIX: "true" }),
          ],
          readinessProbe: httpGet("/misc/ping", "http", { initialDelaySeconds: 20, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 }),
          livenessProbe: httpGet("/misc/ping", "http", { initialDelaySeconds: 60, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 }),
          volumeMounts: scratch.mounts,
          resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
        }),
      ],
      volumes: scratch.volumes,
    },
  });
  const postgresSide = postgresWorkload(s);
  return [
    { object: serviceAccount(w, s), source: SOURCE, component: "pgadmin" },
    { object: deployment, source: SOURCE, component: "pgadmin" },
    { object: service(w, s, [{ name: "http", port: 80, targetPort: "http" }]), source: SOURCE, component: "pgadmin" },
    {
      object: workloadPolicy(w, s, { ingress: [], egress: [{ peers: [podPeer(POSTGRES.name)], ports: [POSTGRES.port] }] }),
      source: SOURCE,
      component: "pgadmin",
    },
    {
      // PostgreSQL's side of the same connection, kept in the component so base stays closed without it.
      object: workloadPolicy(postgresSide, s, {
        name: "postgres-from-pgadmin",
        ingress: [{ peers: [podPeer(PGADMIN.name)], ports: [POSTGRES.port] }],
      }),
      source: SOURCE,
      component: "pgadmin",
    },
  ];
}
