// Velero annotations on the data stores' pods (settings.velero). The logical pg_dump backup (backup.ts) is
// what restores a database; Velero covers the whole namespace for disaster recovery:
//  - backup.velero.io/backup-volumes names the pod volumes its file-system backup (kopia) copies; without
//    it (fileSystemBackup: false) Velero relies on CSI snapshots of the claims;
//  - PostgreSQL gets a pre-backup hook that forces a CHECKPOINT, so the copy starts from flushed pages.
// Claim annotations (e.g. a snapshot class) come from <store>.persistence.annotations.
import type { Settings } from "../settings/schema.ts";

export function veleroPodAnnotations(s: Settings, store: "postgres" | "redis"): Record<string, string> {
  if (!s.velero.enabled) return {};
  const persistent = s[store].persistence.enabled;
  const out: Record<string, string> = {};
  if (s.velero.fileSystemBackup && persistent) out["backup.velero.io/backup-volumes"] = "data";
  if (store === "postgres") {
    out["pre.hook.backup.velero.io/container"] = "postgres";
    out["pre.hook.backup.velero.io/command"] = JSON.stringify([
      "/bin/sh",
      "-c",
      'psql -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c CHECKPOINT',
    ]);
    out["pre.hook.backup.velero.io/timeout"] = "60s";
  }
  return out;
}
