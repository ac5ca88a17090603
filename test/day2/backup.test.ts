// Component backup: the pg_dump CronJob (volume and s3 targets), the restore template, NetworkPolicies,
// Velero annotations; the backup and restore scripts are run against stub binaries.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  containersOf,
  defaultSettings,
  devSettings,
  eksSettings,
  envOf,
  matches,
  podLabelsOf,
  podSpecOf,
  render,
  settingsFrom,
  type Any,
} from "./helpers.ts";
import { NEVER } from "../../scripts/stack/backup.ts";

const volumeSettings = settingsFrom(
  "backup:\n  enabled: true\n  schedule: '30 3 * * 0'\n  timeZone: Europe/Paris\n  retentionDays: 3\n  volume: { size: 25Gi, storageClassName: fast }\n",
);
const volume = render(volumeSettings);
const eks = eksSettings();
const s3 = render(eks);

describe("switching", () => {
  it("is on in eks and off by default and in dev", () => {
    expect(eks.backup.enabled).toBe(true);
    for (const s of [defaultSettings(), devSettings()]) {
      expect(s.backup.enabled).toBe(false);
      const r = render(s);
      expect([...r.of("backup-volume"), ...r.of("backup-s3")]).toEqual([]);
      expect(r.all.filter((o) => o.kind === "CronJob")).toEqual([]);
    }
  });
  it("needs a bucket for target s3", () => {
    expect(() => settingsFrom("backup: { enabled: true, target: s3 }\n")).toThrow(/backup\.s3\.bucket: missing/);
  });
});

describe("backup CronJob", () => {
  for (const [label, r, s] of [
    ["volume", volume, volumeSettings],
    ["s3", s3, eks],
  ] as const) {
    const cj = r.find("CronJob", "postgres-backup");
    it(`${label}: schedule, time zone and limits from settings; one run at a time`, () => {
      expect(cj.spec).toMatchObject({
        schedule: s.backup.schedule,
        timeZone: s.backup.timeZone,
        suspend: false,
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 3600,
      });
      expect(cj.spec.jobTemplate.spec).toMatchObject({
        backoffLimit: 1,
        activeDeadlineSeconds: s.backup.activeDeadlineSeconds,
        ttlSecondsAfterFinished: s.backup.ttlSecondsAfterFinished,
      });
      expect(podSpecOf(cj).restartPolicy).toBe("Never");
    });
    it(`${label}: pg_dump -Fc with the stack's PostgreSQL image as 999, password from the Secret`, () => {
      const dump = containersOf(cj).find((c) => c.name === "pg-dump")!;
      expect(dump.image).toBe(`${s.postgres.image.repository}:${s.postgres.image.tag}`);
      expect(dump.command.join(" ")).toContain("pg_dump -Fc");
      expect(envOf(dump)).toMatchObject({
        PGHOST: "postgres",
        PGPORT: "5432",
        PGDATABASE: s.postgres.database,
        PGUSER: { secretKeyRef: { name: "postgres-credentials", key: "POSTGRES_USER" } },
        PGPASSWORD: { secretKeyRef: { name: "postgres-credentials", key: "POSTGRES_PASSWORD" } },
      });
      expect(podSpecOf(cj).securityContext).toMatchObject({ runAsUser: 999, runAsNonRoot: true, fsGroup: 999, seccompProfile: { type: "RuntimeDefault" } });
    });
    it(`${label}: every container hardened with requests and limits; no service account token`, () => {
      for (const c of containersOf(cj)) {
        expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
        expect(c.resources, c.name).toMatchObject({ requests: { cpu: expect.stringMatching(/^\d+(\.\d+)?m?$/), memory: expect.stringMatching(/^\d+(Mi|Gi)$/) }, limits: { cpu: expect.stringMatching(/^\d+(\.\d+)?m?$/), memory: expect.stringMatching(/^\d+(Mi|Gi)$/) } });
        expect(c.image).not.toMatch(/:latest$/);
      }
      expect(podSpecOf(cj).automountServiceAccountToken).toBe(false);
      expect(podSpecOf(cj).serviceAccountName).toBe("postgres-backup");
    });
  }

  it("volume: writes to its own claim, sized from settings, and deletes dumps older than retentionDays", () => {
    const cj = volume.find("CronJob", "postgres-backup");
    const [c] = containersOf(cj);
    expect(envOf(c!).RETENTION_MINUTES).toBe(String(3 * 1440));
    expect(c!.volumeMounts).toContainEqual({ name: "backups", mountPath: "/backups" });
    expect(podSpecOf(cj).volumes).toContainEqual({ name: "backups", persistentVolumeClaim: { claimName: "postgres-backups" } });
    const pvc = volume.find("PersistentVolumeClaim", "postgres-backups");
    expect(pvc.spec).toMatchObject({ accessModes: ["ReadWriteOnce"], storageClassName: "fast", resources: { requests: { storage: "25Gi" } } });
  });

  it("s3: dumps in an init container, uploads with the AWS CLI, credentials by reference only", () => {
    const cj = s3.find("CronJob", "postgres-backup");
    expect(s3.maybe("PersistentVolumeClaim", "postgres-backups")).toBeUndefined();
    const spec = podSpecOf(cj);
    expect(spec.initContainers.map((c: Any) => c.name)).toEqual(["pg-dump"]);
    const [upload] = spec.containers;
    expect(upload.image).toBe("docker.io/amazon/aws-cli:2.27.0");
    expect(envOf(upload)).toMatchObject({ BUCKET: "mcp-stack-eks-backups", PREFIX: "postgres", AWS_DEFAULT_REGION: "eu-west-1", RETENTION_DAYS: "14", HOME: "/tmp" });
    expect(envOf(upload).AWS_ACCESS_KEY_ID).toBeUndefined(); // IRSA
    expect(s3.find("ServiceAccount", "postgres-backup").metadata.annotations).toMatchObject(eks.backup.serviceAccountAnnotations);

    const withSecret = render(
      settingsFrom("backup: { enabled: true, target: s3, s3: { bucket: dumps, endpoint: 'http://minio.storage:9000', secretName: minio-backup } }\n"),
    );
    const up = podSpecOf(withSecret.find("CronJob", "postgres-backup")).containers[0];
    expect(envOf(up)).toMatchObject({
      AWS_ENDPOINT_URL: "http://minio.storage:9000",
      AWS_ACCESS_KEY_ID: { secretKeyRef: { name: "minio-backup", key: "AWS_ACCESS_KEY_ID" } },
      AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: "minio-backup", key: "AWS_SECRET_ACCESS_KEY" } },
    });
    expect(withSecret.find("NetworkPolicy", "postgres-backup").spec.egress[1].ports).toEqual([{ protocol: "TCP", port: 9000 }]);
  });
});

describe("NetworkPolicies", () => {
  for (const [label, r] of [
    ["volume", volume],
    ["s3", s3],
  ] as const) {
    it(`${label}: backup and restore pods accept nothing and reach PostgreSQL (and the object store for s3)`, () => {
      for (const name of ["postgres-backup", "postgres-restore"]) {
        const np = r.find("NetworkPolicy", name);
        expect(matches(np.spec.podSelector.matchLabels, podLabelsOf(r.find("CronJob", name)))).toBe(true);
        expect(np.spec.policyTypes).toEqual(["Ingress", "Egress"]);
        expect(np.spec.ingress).toEqual([]);
        expect(np.spec.egress[0]).toEqual({
          to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "postgres", "app.kubernetes.io/instance": "mcp-stack" } } }],
          ports: [{ protocol: "TCP", port: 5432 }],
        });
        if (label === "s3") expect(np.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] });
        else expect(np.spec.egress).toHaveLength(1);
      }
      const side = r.find("NetworkPolicy", "postgres-from-postgres-backup");
      expect(side.spec.podSelector.matchLabels["app.kubernetes.io/name"]).toBe("postgres");
      expect(side.spec.ingress[0].from.map((p: Any) => p.podSelector.matchLabels["app.kubernetes.io/name"])).toEqual(["postgres-backup", "postgres-restore"]);
    });
  }
});

describe("restore template", () => {
  for (const [label, r] of [
    ["volume", volume],
    ["s3", s3],
  ] as const) {
    it(`${label}: a suspended CronJob that never fires, no retries, the dump chosen by an optional ConfigMap`, () => {
      const cj = r.find("CronJob", "postgres-restore");
      expect(cj.spec).toMatchObject({ suspend: true, schedule: NEVER, concurrencyPolicy: "Forbid" });
      expect(cj.spec.jobTemplate.spec.backoffLimit).toBe(0);
      expect(cj.spec.jobTemplate.spec.activeDeadlineSeconds).toBeGreaterThan(0);
      const restore = podSpecOf(cj).containers.find((c: Any) => c.name === "pg-restore");
      expect(restore.command.join(" ")).toContain("pg_restore --exit-on-error --single-transaction");
      expect(envOf(restore).DUMP).toEqual({ configMapKeyRef: { name: "postgres-restore", key: "DUMP", optional: true } });
      expect(envOf(restore).PGPASSWORD).toEqual({ secretKeyRef: { name: "postgres-credentials", key: "POSTGRES_PASSWORD" } });
    });
  }
  it("volume: reads the backup claim read-only", () => {
    const [c] = podSpecOf(volume.find("CronJob", "postgres-restore")).containers;
    expect(c.volumeMounts).toContainEqual({ name: "backups", mountPath: "/backups", readOnly: true });
  });
  it("s3: downloads the dump in an init container first", () => {
    const spec = podSpecOf(s3.find("CronJob", "postgres-restore"));
    expect(spec.initContainers.map((c: Any) => c.name)).toEqual(["download"]);
    expect(spec.initContainers[0].command.join(" ")).toContain("aws s3 cp");
  });
});

describe("scripts, run against stub binaries", () => {
  const script = (cj: Any, container: string) => containersOf(cj).find((c) => c.name === container)!.command[2] as string;
  const stub = (dir: string, name: string, body: string) => {
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  };
  const sandbox = () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-day2-sh-"));
    const bin = path.join(root, "bin");
    const data = path.join(root, "backups");
    fs.mkdirSync(bin);
    fs.mkdirSync(data);
    return { root, bin, data };
  };
  const run = (text: string, env: Record<string, string>) =>
    spawnSync("/bin/sh", ["-c", text], { encoding: "utf8", env: { PATH: `${env.STUBS}:/usr/bin:/bin`, PGDATABASE: "mcp", ...env } });

  it("backup (volume) writes <db>-<time>.dump and deletes dumps past retention", () => {
    const { root, bin, data } = sandbox();
    try {
      stub(bin, "pg_dump", 'while [ $# -gt 0 ]; do [ "$1" = -f ] && echo dump > "$2"; shift; done');
      const old = path.join(data, "mcp-20000101T000000Z.dump");
      const recent = path.join(data, "mcp-recent.dump");
      fs.writeFileSync(old, "old");
      fs.writeFileSync(recent, "recent");
      fs.utimesSync(old, new Date("2000-01-01"), new Date("2000-01-01"));
      const text = script(volume.find("CronJob", "postgres-backup"), "pg-dump").replaceAll("/backups", data);
      const res = run(text, { STUBS: bin, RETENTION_MINUTES: String(3 * 1440) });
      expect(res.status, res.stderr).toBe(0);
      const files = fs.readdirSync(data);
      expect(files).not.toContain(path.basename(old));
      expect(files).toContain(path.basename(recent));
      expect(files.filter((f) => /^mcp-\d{8}T\d{6}Z\.dump$/.test(f))).toHaveLength(1);
      expect(files.some((f) => f.endsWith(".partial"))).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("restore loads the newest dump, or the chosen one, and refuses a database that holds tables", () => {
    const { root, bin, data } = sandbox();
    try {
      const log = path.join(root, "pg_restore.log");
      stub(bin, "pg_restore", `echo "$@" >> ${log}`);
      stub(bin, "psql", 'echo "${TABLES:-0}"');
      for (const f of ["mcp-20250101T021500Z.dump", "mcp-20250103T021500Z.dump", "mcp-20250102T021500Z.dump"]) {
        fs.writeFileSync(path.join(data, f), "x");
      }
      const text = script(volume.find("CronJob", "postgres-restore"), "pg-restore").replaceAll("/backups", data);

      let res = run(text, { STUBS: bin });
      expect(res.status, res.stderr).toBe(0);
      expect(fs.readFileSync(log, "utf8")).toContain("-d mcp mcp-20250103T021500Z.dump");

      res = run(text, { STUBS: bin, DUMP: "mcp-20250101T021500Z.dump" });
      expect(res.status, res.stderr).toBe(0);
      expect(fs.readFileSync(log, "utf8").trim().split("\n").at(-1)).toContain("mcp-20250101T021500Z.dump");

      res = run(text, { STUBS: bin, DUMP: "missing.dump" });
      expect(res.status).not.toBe(0);
      expect(res.stderr).toContain("no dump missing.dump");

      const before = fs.readFileSync(log, "utf8");
      res = run(text, { STUBS: bin, TABLES: "12" });
      expect(res.status).not.toBe(0);
      expect(res.stderr).toContain("restore into an empty database only");
      expect(fs.readFileSync(log, "utf8")).toBe(before);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("Velero", () => {
  it("eks annotates the data stores' pods: file-system backup of the data volume and a CHECKPOINT hook", () => {
    expect(eks.velero.enabled).toBe(true);
    const pg = s3.find("StatefulSet", "postgres").spec.template.metadata.annotations;
    expect(pg).toMatchObject({ "backup.velero.io/backup-volumes": "data", "pre.hook.backup.velero.io/container": "postgres" });
    expect(JSON.parse(pg["pre.hook.backup.velero.io/command"])).toEqual(["/bin/sh", "-c", expect.stringContaining("CHECKPOINT")]);
    expect(s3.find("Deployment", "redis").spec.template.metadata.annotations).toEqual({ "backup.velero.io/backup-volumes": "data" });
  });
  it("nothing without the setting; no volume annotation for an ephemeral Redis or with fileSystemBackup off", () => {
    const plain = render(defaultSettings());
    expect(plain.find("StatefulSet", "postgres").spec.template.metadata.annotations).toBeUndefined();
    const s = settingsFrom("velero: { enabled: true, fileSystemBackup: false }\n");
    const r = render(s);
    expect(r.find("StatefulSet", "postgres").spec.template.metadata.annotations["backup.velero.io/backup-volumes"]).toBeUndefined();
    expect(r.find("Deployment", "redis").spec.template.metadata.annotations).toBeUndefined();
  });
});
