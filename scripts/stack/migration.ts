// The migration Job: waits for PostgreSQL, then runs the gateway's own bootstrap (alembic upgrade head
// under an advisory lock, then admin and role seeding). Same image and env as the gateway, minus
// MCPGATEWAY_SKIP_MIGRATIONS. Ordering: under Argo CD it is a Sync hook in the wave after the data stores
// and before the gateway; under plain `kubectl apply` the gateway's startup probe waits for the schema.
// The Job's name carries the image tag: a version bump creates a new Job instead of editing an immutable one.
import type { Settings } from "../settings/schema.ts";
import { imageRef, type Workload } from "./meta.ts";
import { versionedJobName } from "../settings/derived.ts";
import { hardenedContainer, hardenedJob, scratchDirs, serviceAccount } from "./shapes.ts";
import { podPeer, workloadPolicy } from "./network.ts";
import { databaseEnv, gatewayEnvFrom } from "./gateway.ts";
import type { StackObject } from "./types.ts";
import { GATEWAY, MIGRATION, POSTGRES } from "./workloads.ts";

const SOURCE = "scripts/stack/migration.ts";

export const migrationWorkload = (s: Settings): Workload => ({
  name: MIGRATION.name,
  component: MIGRATION.component,
  version: s.gateway.image.tag,
});

/** The migration Job's name (scripts/stack/facts.ts: it changes whenever the Job must be re-created). */
export const migrationJobName = (s: Settings): string => versionedJobName(MIGRATION.name, s);

const migrate =
  "set -e; python3 /app/mcpgateway/utils/db_isready.py --max-tries 60 --interval 2 --timeout 5; " +
  "python3 -m mcpgateway.bootstrap_db";

export const SYNC_HOOK_ANNOTATIONS = {
  "argocd.argoproj.io/hook": "Sync",
  "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
} as const;

export function migration(s: Settings): StackObject[] {
  if (!s.migration.enabled) return [];
  const w = migrationWorkload(s);
  const tmp = scratchDirs({ tmp: "/tmp" });
  const job = hardenedJob(w, s, {
    name: migrationJobName(s),
    uid: GATEWAY.uid,
    annotations: { ...SYNC_HOOK_ANNOTATIONS },
    backoffLimit: s.migration.backoffLimit,
    activeDeadlineSeconds: s.migration.activeDeadlineSeconds,
    ttlSecondsAfterFinished: s.migration.ttlSecondsAfterFinished,
    pod: {
      containers: [
        hardenedContainer({
          name: "migrate",
          image: imageRef(s.gateway.image),
          pullPolicy: s.gateway.image.pullPolicy,
          command: ["/bin/sh", "-c", migrate],
          env: [...databaseEnv(s), { name: "LOG_LEVEL", value: "INFO" }],
          envFrom: gatewayEnvFrom(),
          volumeMounts: tmp.mounts,
          resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
        }),
      ],
      volumes: tmp.volumes,
    },
  });
  return [
    { object: serviceAccount(w, s), source: SOURCE },
    { object: job, source: SOURCE },
    {
      object: workloadPolicy(w, s, { ingress: [], egress: [{ peers: [podPeer(POSTGRES.name)], ports: [POSTGRES.port] }] }),
      source: SOURCE,
    },
  ];
}

