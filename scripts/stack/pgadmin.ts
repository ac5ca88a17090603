// PgAdmin (Kustomize Component "pgadmin"): a web UI for PostgreSQL, reached with kubectl port-forward.
// The image's entrypoint (pgadmin4 REL-9_8 pkg/docker/entrypoint.sh) writes its Docker defaults (CA file, LOG_FILE,
// binary paths) into config_distro.py on first start: /pgadmin4/config_distro.py by default (line 40), which a
// read-only root cannot take, so PGADMIN_CUSTOM_CONFIG_DISTRO_FILE points into the writable /var/lib/pgadmin.
// It binds ${PGADMIN_LISTEN_ADDRESS:-[::]} (lines 182-184): an IPv6 wildcard, which fails where pods have no
// IPv6, so the address is explicit.
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
import { admittingPolicy, workloadPolicy } from "./network.ts";
import { SECRETS } from "./credentials.ts";
import { postgresWorkload } from "./postgres.ts";
import type { StackObject } from "./types.ts";
import { PGADMIN } from "./workloads.ts";

const SOURCE = "scripts/stack/pgadmin.ts";
const DATA_DIR = "/var/lib/pgadmin";

export function pgadmin(s: Settings): StackObject[] {
  if (!s.adminUIs.pgadmin) return [];
  const w: Workload = { name: PGADMIN.name, component: PGADMIN.component, version: PGADMIN.tag };
  const scratch = scratchDirs({ data: DATA_DIR, tmp: "/tmp" });
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
            ...literalEnv({
              PGADMIN_LISTEN_ADDRESS: "0.0.0.0",
              PGADMIN_LISTEN_PORT: String(PGADMIN.port),
              PGADMIN_DISABLE_POSTFIX: "true",
              PGADMIN_CUSTOM_CONFIG_DISTRO_FILE: `${DATA_DIR}/config_distro.py`,
            }),
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
    { object: workloadPolicy(w, s), source: SOURCE, component: "pgadmin" },
    // PostgreSQL's side of the same connection, kept in the component so base stays closed without it.
    { object: admittingPolicy(PGADMIN.name, postgresSide, s), source: SOURCE, component: "pgadmin" },
  ];
}
