// The migration Job: waits for PostgreSQL, then runs the gateway's own bootstrap (alembic upgrade head
// under an advisory lock, then admin and role seeding). Same image and env as the gateway, minus
// MCPGATEWAY_SKIP_MIGRATIONS. Ordering: under Argo CD it is a Sync hook in the wave after the data stores
// and before the gateway; under plain `kubectl apply` the gateway's init container waits for the schema.
// The Job's name carries the image tag and a hash of what it runs (shapes.ts nameByContent): a version bump or a
// configuration change creates a new Job instead of editing an immutable one.
import type { Settings } from "../settings/schema.ts";
import { imageRef, type Workload } from "./meta.ts";
import { hardenedContainer, hardenedJob, nameByContent, scratchDirs, serviceAccount } from "./shapes.ts";
import { workloadPolicy } from "./network.ts";
import { databaseEnv, gatewayConfig, gatewayEnvFrom } from "./gateway.ts";
import type { StackObject } from "./types.ts";
import { GATEWAY, MIGRATION } from "./workloads.ts";

const SOURCE = "scripts/stack/migration.ts";

export const migrationWorkload = (s: Settings): Workload => ({
  name: MIGRATION.name,
  component: MIGRATION.component,
  version: s.gateway.image.tag,
});

const migrate =
  "set -e; python3 /app/mcpgateway/utils/db_isready.py --max-tries 60 --interval 2 --timeout 5; " +
  "python3 -m mcpgateway.bootstrap_db";

export const SYNC_HOOK_ANNOTATIONS = {
  "argocd.argoproj.io/hook": "Sync",
  "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
} as const;

/** The migration Job, named mcp-migration-<tag>-<hash of its template and the gateway ConfigMap it reads>. */
export function migrationJob(s: Settings) {
  const w = migrationWorkload(s);
  const tmp = scratchDirs({ tmp: "/tmp" });
  const job = hardenedJob(w, s, {
    name: MIGRATION.name,
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
  return nameByContent(job, MIGRATION.name, s.gateway.image.tag, [gatewayConfig(s)]);
}

export const migrationJobName = (s: Settings): string => migrationJob(s).metadata!.name!;

export function migration(s: Settings): StackObject[] {
  if (!s.migration.enabled) return [];
  const w = migrationWorkload(s);
  return [
    { object: serviceAccount(w, s), source: SOURCE },
    { object: migrationJob(s), source: SOURCE },
    { object: workloadPolicy(w, s), source: SOURCE },
  ];
}
