// Backups (Kustomize Component "backup", settings.backup): pg_dump in custom format on a schedule, kept
// for retentionDays, written to a claim of its own (target volume) or to S3-compatible object storage
// (target s3; credentials by reference: a Secret named in settings, or workload identity such as IRSA).
// pg_dump runs with the PostgreSQL image of the stack (same major version as the server), as UID 999.
//
// Restore: CronJob postgres-restore is suspended and never scheduled; it is the template of a one-off Job:
//   kubectl -n <ns> create job --from=cronjob/postgres-restore postgres-restore-$(date +%s)
// It loads the newest dump (or the one named in the optional ConfigMap postgres-restore, key DUMP) into an
// EMPTY database and refuses otherwise. A Job is not rendered directly: Job templates are immutable (no way
// to choose a dump) and a Job resumed by hand would be suspended again by Argo CD's self-heal mid-restore.
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { Settings } from "../settings/schema.ts";
import { imageRef, metadata, templateMetadata, workloadLabels, type Workload } from "./meta.ts";
import { dataVolume, hardenedContainer, hardenedPodSpec, literalEnv, scratchDirs, secretEnv, serviceAccount } from "./shapes.ts";
import { admittingPolicy, workloadPolicy } from "./network.ts";
import { SECRETS } from "./credentials.ts";
import { postgresWorkload } from "./postgres.ts";
import type { StackObject } from "./types.ts";
import { BACKUP, POSTGRES, RESTORE } from "./workloads.ts";

const SOURCE = "scripts/stack/backup.ts";
/** Where dumps are read and written inside the pods. */
const DIR = { volume: "/backups", work: "/work" } as const;
/** A date that never comes: the restore CronJob is suspended and only ever used as a template. */
export const NEVER = "0 0 31 2 *";

const dumpResources = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } };
const s3Resources = { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } };

/** Dump to <dir>/<db>-<UTC time>.dump; a .partial name until pg_dump succeeded. */
const dumpScript = (dir: string) =>
  [
    "set -eu",
    `file="${dir}/$PGDATABASE-$(date -u +%Y%m%dT%H%M%SZ).dump"`,
    'pg_dump -Fc -f "$file.partial"',
    'mv "$file.partial" "$file"',
    'echo "wrote $file ($(du -h "$file" | cut -f1))"',
  ].join("\n");

/** Retention on a volume: dumps (and leftovers of failed runs) older than RETENTION_DAYS go. */
const pruneVolume = [
  `find ${DIR.volume} -maxdepth 1 \\( -name '*.dump' -o -name '*.partial' \\) -mmin +"$RETENTION_MINUTES" -print -delete`,
].join("\n");

const uploadScript = [
  "set -eu",
  `for f in ${DIR.work}/*.dump; do aws s3 cp "$f" "s3://$BUCKET/$PREFIX/$(basename "$f")"; done`,
  'cutoff="$(date -u -d "-$RETENTION_DAYS days" +%Y-%m-%dT%H:%M:%SZ)"',
  `aws s3api list-objects-v2 --bucket "$BUCKET" --prefix "$PREFIX/" --query "Contents[?LastModified<'$cutoff'].Key" --output text \\`,
  "  | tr '\\t' '\\n' | grep '\\.dump$' | while read -r key; do aws s3 rm \"s3://$BUCKET/$key\"; done",
].join("\n");

const downloadScript = [
  "set -eu",
  'dump="${DUMP:-}"',
  `[ -n "$dump" ] || dump="$(aws s3api list-objects-v2 --bucket "$BUCKET" --prefix "$PREFIX/" --query 'sort_by(Contents, &Key)[-1].Key' --output text)"`,
  `aws s3 cp "s3://$BUCKET/$PREFIX/\${dump##*/}" "${DIR.work}/\${dump##*/}"`,
].join("\n");

/** Refuses a database that holds any table: a restore goes into an empty database only. */
const restoreScript = (dir: string) =>
  [
    "set -eu",
    `cd ${dir}`,
    'dump="${DUMP:-}"',
    '[ -n "$dump" ] || dump="$(ls -1 -- *.dump | sort | tail -n 1)"',
    `[ -f "$dump" ] || { echo "no dump $dump in ${dir}" >&2; exit 1; }`,
    "tables=\"$(psql -tAc \"select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')\")\"",
    '[ "$tables" = 0 ] || { echo "database $PGDATABASE holds $tables tables: restore into an empty database only" >&2; exit 1; }',
    'echo "restoring $dump into $PGDATABASE"',
    'pg_restore --exit-on-error --single-transaction --no-owner --no-privileges -d "$PGDATABASE" "$dump"',
    'echo "restored $dump"',
  ].join("\n");

function postgresEnv(s: Settings): IEnvVar[] {
  return [
    ...literalEnv({ PGHOST: POSTGRES.name, PGPORT: String(POSTGRES.port), PGDATABASE: s.postgres.database }),
    secretEnv("PGUSER", SECRETS.postgres.name, "POSTGRES_USER"),
    secretEnv("PGPASSWORD", SECRETS.postgres.name, "POSTGRES_PASSWORD"),
  ];
}

function s3Env(s: Settings): IEnvVar[] {
  const o = s.backup.s3;
  return [
    ...literalEnv({
      BUCKET: o.bucket ?? "",
      PREFIX: o.prefix,
      HOME: "/tmp",
      ...(o.region ? { AWS_DEFAULT_REGION: o.region } : {}),
      ...(o.endpoint ? { AWS_ENDPOINT_URL: o.endpoint } : {}),
    }),
    ...(o.secretName
      ? [secretEnv("AWS_ACCESS_KEY_ID", o.secretName), secretEnv("AWS_SECRET_ACCESS_KEY", o.secretName)]
      : []),
  ];
}

const chosenDump: IEnvVar = {
  name: "DUMP",
  valueFrom: { configMapKeyRef: { name: RESTORE.configMap, key: "DUMP", optional: true } },
};


function cronJob(
  s: Settings,
  w: Workload,
  opts: { schedule: string; suspend: boolean; backoffLimit: number; pod: Omit<IPodSpec, "securityContext" | "serviceAccountName" | "automountServiceAccountToken"> },
): CronJob {
  const b = s.backup;
  return new CronJob({
    metadata: metadata(w.name, workloadLabels(w, s), s),
    spec: {
      schedule: opts.schedule,
      timeZone: b.timeZone,
      suspend: opts.suspend,
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: templateMetadata(w, s),
        spec: {
          backoffLimit: opts.backoffLimit,
          activeDeadlineSeconds: b.activeDeadlineSeconds,
          ttlSecondsAfterFinished: b.ttlSecondsAfterFinished,
          template: {
            metadata: templateMetadata(w, s),
            spec: hardenedPodSpec(w, s, BACKUP.uid, { restartPolicy: "Never", ...opts.pod }),
          },
        },
      },
    },
  });
}

export function backup(s: Settings): StackObject[] {
  if (!s.backup.enabled) return [];
  const b = s.backup;
  const pg = s.postgres.image;
  const tag = pg.tag;
  const backupW: Workload = { name: BACKUP.name, component: "backup", version: tag };
  const restoreW: Workload = { name: RESTORE.name, component: "backup", version: tag };
  const tmp = scratchDirs({ tmp: "/tmp" });
  const work = scratchDirs({ work: DIR.work });
  const onVolume = b.target === "volume";
  const backupsVolume = { name: "backups", persistentVolumeClaim: { claimName: BACKUP.claim } };
  const postgresContainer = (name: string, script: string, extra: { env?: IEnvVar[]; mounts: { name: string; mountPath: string; readOnly?: boolean }[] }) =>
    hardenedContainer({
      name,
      image: imageRef(pg),
      pullPolicy: pg.pullPolicy,
      command: ["/bin/sh", "-c", script],
      env: [...postgresEnv(s), ...(extra.env ?? [])],
      volumeMounts: [...extra.mounts, ...tmp.mounts],
      resources: dumpResources,
    });
  const s3Container = (name: string, script: string, env: IEnvVar[] = []) =>
    hardenedContainer({
      name,
      image: imageRef(b.s3.image),
      pullPolicy: b.s3.image.pullPolicy,
      command: ["/bin/sh", "-c", script],
      env: [...s3Env(s), ...env],
      volumeMounts: [...work.mounts, ...tmp.mounts],
      resources: s3Resources,
    });

  const backupPod: Omit<IPodSpec, "securityContext" | "serviceAccountName" | "automountServiceAccountToken"> = onVolume
    ? {
        containers: [
          postgresContainer("pg-dump", `${dumpScript(DIR.volume)}\n${pruneVolume}`, {
            env: literalEnv({ RETENTION_MINUTES: String(b.retentionDays * 1440) }),
            mounts: [{ name: "backups", mountPath: DIR.volume }],
          }),
        ],
        volumes: [backupsVolume, ...tmp.volumes],
      }
    : {
        initContainers: [postgresContainer("pg-dump", dumpScript(DIR.work), { mounts: work.mounts })],
        containers: [s3Container("upload", uploadScript, literalEnv({ RETENTION_DAYS: String(b.retentionDays) }))],
        volumes: [...work.volumes, ...tmp.volumes],
      };
  const restorePod: Omit<IPodSpec, "securityContext" | "serviceAccountName" | "automountServiceAccountToken"> = onVolume
    ? {
        containers: [
          postgresContainer("pg-restore", restoreScript(DIR.volume), {
            env: [chosenDump],
            mounts: [{ name: "backups", mountPath: DIR.volume, readOnly: true }],
          }),
        ],
        volumes: [backupsVolume, ...tmp.volumes],
      }
    : {
        initContainers: [s3Container("download", downloadScript, [chosenDump])],
        containers: [postgresContainer("pg-restore", restoreScript(DIR.work), { env: [chosenDump], mounts: work.mounts })],
        volumes: [...work.volumes, ...tmp.volumes],
      };

  const objects: StackObject[] = [
    { object: serviceAccount(backupW, s, b.serviceAccountAnnotations), source: SOURCE },
    { object: serviceAccount(restoreW, s, b.serviceAccountAnnotations), source: SOURCE },
    { object: cronJob(s, backupW, { schedule: b.schedule, suspend: false, backoffLimit: 1, pod: backupPod }), source: SOURCE },
    // backoffLimit 0: a failed restore leaves a half-filled database, which a retry would refuse anyway.
    { object: cronJob(s, restoreW, { schedule: NEVER, suspend: true, backoffLimit: 0, pod: restorePod }), source: SOURCE },
    { object: workloadPolicy(backupW, s), source: SOURCE },
    { object: workloadPolicy(restoreW, s), source: SOURCE },
    // PostgreSQL's side of both connections, kept in the component so base stays closed without it.
    { object: admittingPolicy(BACKUP.name, postgresWorkload(s), s), source: SOURCE },
  ];
  if (onVolume) {
    const claim = dataVolume(backupW, s, BACKUP.claim, {
      enabled: true,
      accessModes: ["ReadWriteOnce"],
      size: b.volume.size,
      annotations: {},
      ...(b.volume.storageClassName !== undefined ? { storageClassName: b.volume.storageClassName } : {}),
    }).claim;
    objects.push({ object: claim, source: SOURCE });
  }
  return objects.map((o) => ({ ...o, component: onVolume ? ("backup-volume" as const) : ("backup-s3" as const) }));
}
