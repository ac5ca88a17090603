// PostgreSQL 17: a single-replica StatefulSet (never two pods on one volume) behind a headless Service.
// The image runs as 999; fsGroup makes a fresh volume writable, PGDATA sits in a subdirectory
// (a volume's root may hold lost+found), and the other writable paths are emptyDirs.
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { Settings } from "../settings/schema.ts";
import { connectionBudget } from "../settings/derived.ts";
import { imageRef, metadata, selectorLabels, templateMetadata, workloadLabels, type Workload } from "./meta.ts";
import {
  claimName,
  dataVolume,
  execProbe,
  hardenedContainer,
  hardenedPodSpec,
  literalEnv,
  ownedClaim,
  scratchDirs,
  secretEnv,
  service,
  serviceAccount,
} from "./shapes.ts";
import { workloadPolicy } from "./network.ts";
import { SECRETS } from "./credentials.ts";
import type { StackObject } from "./types.ts";
import { veleroPodAnnotations } from "./velero.ts";
import { POSTGRES } from "./workloads.ts";

const SOURCE = "scripts/stack/postgres.ts";
const DATA_DIR = "/var/lib/postgresql/data";

export const postgresWorkload = (s: Settings): Workload => ({
  name: POSTGRES.name,
  component: POSTGRES.component,
  version: s.postgres.image.tag,
});

const isReady = 'pg_isready -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"';

export function postgres(s: Settings): StackObject[] {
  const w = postgresWorkload(s);
  const p = s.postgres;
  const scratch = scratchDirs({ run: "/var/run/postgresql", tmp: "/tmp" });
  const data = ownedClaim(p.persistence) ? dataVolume(w, s, POSTGRES.claim, p.persistence) : undefined;
  const dataVolumeSource: IVolume = p.persistence.enabled
    ? { name: "data", persistentVolumeClaim: { claimName: claimName(POSTGRES.claim, p.persistence) } }
    : { name: "data", emptyDir: {} };

  const statefulSet = new StatefulSet({
    metadata: metadata(w.name, workloadLabels(w, s), s),
    spec: {
      serviceName: w.name,
      replicas: 1,
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate" },
      selector: { matchLabels: selectorLabels(w) },
      template: {
        metadata: templateMetadata(w, s, veleroPodAnnotations(s, "postgres")),
        spec: hardenedPodSpec(w, s, POSTGRES.uid, {
          terminationGracePeriodSeconds: 120,
          containers: [
            hardenedContainer({
              name: "postgres",
              image: imageRef(p.image),
              pullPolicy: p.image.pullPolicy,
              // The image's CMD is `postgres` (ENTRYPOINT docker-entrypoint.sh): args replace it, server flags after it.
              // max_connections comes from the stack's connection budget (scripts/settings/derived.ts).
              args: ["postgres", "-c", `max_connections=${connectionBudget(s).maxConnections}`],
              ports: [{ name: "postgres", containerPort: POSTGRES.port, protocol: "TCP" }],
              env: [
                secretEnv("POSTGRES_USER", SECRETS.postgres.name),
                secretEnv("POSTGRES_PASSWORD", SECRETS.postgres.name),
                ...literalEnv({ POSTGRES_DB: p.database, PGDATA: `${DATA_DIR}/${p.dataPath}` }),
              ],
              startupProbe: execProbe(isReady, { periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 60 }),
              readinessProbe: execProbe(isReady, { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 }),
              livenessProbe: execProbe(isReady, { periodSeconds: 20, timeoutSeconds: 10, failureThreshold: 6 }),
              lifecycle: { preStop: { exec: { command: ["/bin/sh", "-c", 'pg_ctl -D "$PGDATA" -m fast -w stop || true'] } } },
              volumeMounts: [{ name: "data", mountPath: DATA_DIR }, ...scratch.mounts],
              resources: p.resources,
            }),
          ],
          volumes: [dataVolumeSource, ...scratch.volumes],
        }),
      },
    },
  });

  const objects: StackObject[] = [
    { object: serviceAccount(w, s), source: SOURCE },
    { object: statefulSet, source: SOURCE },
    { object: service(w, s, [{ name: "postgres", port: POSTGRES.port, targetPort: "postgres" }], { headless: true }), source: SOURCE },
    { object: workloadPolicy(w, s), source: SOURCE },
  ];
  if (data) objects.push({ object: data.claim, source: SOURCE });
  if (data?.volume) objects.push({ object: data.volume, source: SOURCE });
  return objects;
}
