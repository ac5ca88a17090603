// The typed model's objects for default settings (the base): wiring, security, labels and selectors.
import { describe, expect, it } from "vitest";
import { buildStack } from "../scripts/stack/index.ts";
import { defaultSettings } from "../scripts/settings/load.ts";
import { plain } from "../scripts/generate/emit.ts";

type Any = Record<string, any>;
const settings = defaultSettings();
const objects = buildStack({ settings }).map((o) => plain(o.object) as Any);
const find = (kind: string, name: string): Any => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} not rendered`);
  return o;
};
const workloads = objects.filter((o) => ["Deployment", "StatefulSet", "Job"].includes(o.kind));
const podSpec = (o: Any): Any => o.spec.template.spec;
const container = (o: Any): Any => podSpec(o).containers[0];
const env = (o: Any) => Object.fromEntries((container(o).env ?? []).map((e: Any) => [e.name, e.value ?? e.valueFrom]));
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe("gateway", () => {
  const gw = find("Deployment", "mcp-gateway");
  it("runs the pinned image as 10001 with a read-only root and /tmp as an emptyDir", () => {
    expect(container(gw).image).toBe("ghcr.io/ibm/mcp-context-forge:v1.0.8");
    expect(podSpec(gw).securityContext).toMatchObject({ runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(container(gw).securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(container(gw).volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
    expect(podSpec(gw).volumes).toContainEqual({ name: "tmp", emptyDir: {} });
    // Requests and limits are the settings' (gateway.resources), not whatever the builder happens to write.
    expect(container(gw).resources).toEqual(settings.gateway.resources);
    expect(Object.keys(container(gw).resources.requests).sort()).toEqual(["cpu", "memory"]);
  });
  it("binds 0.0.0.0:4444, uses Redis as cache and skips migrations because the Job exists", () => {
    expect(env(gw)).toMatchObject({ HOST: "0.0.0.0", PORT: "4444", CACHE_TYPE: "redis", MCPGATEWAY_SKIP_MIGRATIONS: "true" });
    expect(container(gw).ports).toEqual([{ name: "http", containerPort: 4444, protocol: "TCP" }]);
  });
  it("derives DATABASE_URL and REDIS_URL from variables declared before them", () => {
    const names = container(gw).env.map((e: Any) => e.name);
    expect(env(gw).DATABASE_URL).toBe("postgresql+psycopg://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@$(POSTGRES_HOST):$(POSTGRES_PORT)/$(POSTGRES_DB)");
    expect(env(gw).REDIS_URL).toBe("redis://:$(REDIS_PASSWORD)@$(REDIS_HOST):$(REDIS_PORT)/0");
    for (const v of ["POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DB"]) {
      expect(names.indexOf(v)).toBeLessThan(names.indexOf("DATABASE_URL"));
    }
    for (const v of ["REDIS_PASSWORD", "REDIS_HOST", "REDIS_PORT"]) expect(names.indexOf(v)).toBeLessThan(names.indexOf("REDIS_URL"));
    expect(env(gw).POSTGRES_HOST).toBe("postgres");
    expect(env(gw).REDIS_HOST).toBe("redis");
    expect(env(gw).POSTGRES_PASSWORD).toEqual({ secretKeyRef: { name: "postgres-credentials", key: "POSTGRES_PASSWORD" } });
  });
  it("has credentials only by reference", () => {
    expect(container(gw).envFrom).toContainEqual({ secretRef: { name: "mcp-gateway-credentials" } });
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
    const literalSecrets = container(gw).env.filter((e: Any) => /SECRET|PASSWORD|TOKEN/.test(e.name) && "value" in e);
    expect(literalSecrets).toEqual([]);
  });
  it("gates startup on the schema being at head (init container), readiness on /ready, liveness on /health", () => {
    expect(gw.spec.template.spec.initContainers[0].command.join(" ")).toContain("mcpgateway.utils.check_schema_at_head");
    expect(container(gw).startupProbe.httpGet).toMatchObject({ path: "/health", port: "http" });
    expect(container(gw).readinessProbe.httpGet).toMatchObject({ path: "/ready", port: "http" });
    expect(container(gw).livenessProbe.httpGet).toMatchObject({ path: "/health", port: "http" });
  });
  it("leaves the replica count to the HPA (CPU and memory) and has a PDB that allows evictions", () => {
    expect(gw.spec.replicas).toBeUndefined();
    const hpa = find("HorizontalPodAutoscaler", "mcp-gateway");
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "mcp-gateway" });
    expect(hpa.spec.metrics.map((m: Any) => m.resource.name)).toEqual(["cpu", "memory"]);
    const pdb = find("PodDisruptionBudget", "mcp-gateway");
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(matches(pdb.spec.selector.matchLabels, gw.spec.template.metadata.labels)).toBe(true);
  });
  it("spreads over zones and nodes", () => {
    expect(podSpec(gw).topologySpreadConstraints.map((c: Any) => c.topologyKey)).toEqual(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
  });
  it("serves 80 -> the named port 4444 and is exposed by an Ingress with class, host, path and TLS", () => {
    const svc = find("Service", "mcp-gateway");
    expect(svc.spec.ports).toEqual([{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
    const ing = find("Ingress", "mcp-gateway");
    expect(ing.spec.ingressClassName).toBe("nginx");
    expect(ing.spec.rules[0].host).toBe(settings.ingress.host);
    expect(ing.spec.rules[0].http.paths[0]).toMatchObject({ path: "/", backend: { service: { name: "mcp-gateway", port: { name: "http" } } } });
    expect(ing.spec.tls).toEqual([{ hosts: [settings.ingress.host], secretName: "mcp-gateway-tls" }]);
  });
});

describe("fast-time server", () => {
  it("is reachable at /fast-time with the prefix stripped", () => {
    const ing = find("Ingress", "fast-time-server");
    expect(ing.metadata.annotations["nginx.ingress.kubernetes.io/rewrite-target"]).toBe("/$2");
    expect(ing.spec.rules[0].http.paths[0].path).toBe("/fast-time(/|$)(.*)");
    const d = find("Deployment", "fast-time-server");
    expect(container(d).image).toBe("ghcr.io/ibm/fast-time-server:0.8.0");
    expect(container(d).readinessProbe.httpGet.path).toBe("/health");
    expect(container(d).livenessProbe.httpGet.path).toBe("/health");
  });
});

describe("PostgreSQL", () => {
  const sts = find("StatefulSet", "postgres");
  it("is one StatefulSet replica on its claim with PGDATA in a subdirectory and an fsGroup", () => {
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.serviceName).toBe("postgres");
    expect(find("Service", "postgres").spec.clusterIP).toBe("None");
    expect(env(sts).PGDATA).toBe("/var/lib/postgresql/data/pgdata");
    expect(podSpec(sts).securityContext).toMatchObject({ runAsUser: 999, fsGroup: 999 });
    expect(podSpec(sts).volumes).toContainEqual({ name: "data", persistentVolumeClaim: { claimName: "postgres-data" } });
    expect(container(sts).volumeMounts.map((m: Any) => m.mountPath)).toEqual(["/var/lib/postgresql/data", "/var/run/postgresql", "/tmp"]);
    expect(container(sts).readinessProbe.exec.command.join(" ")).toContain("pg_isready");
    expect(env(sts).POSTGRES_PASSWORD).toEqual({ secretKeyRef: { name: "postgres-credentials", key: "POSTGRES_PASSWORD" } });
  });
  it("claims storage with size, access modes and annotations from settings", () => {
    const pvc = find("PersistentVolumeClaim", "postgres-data");
    expect(pvc.spec).toMatchObject({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "5Gi" } } });
  });
});

describe("Redis", () => {
  const redis = find("Deployment", "redis");
  it("never puts the password on a command line", () => {
    const command = container(redis).command.join(" ");
    expect(command).not.toMatch(/--requirepass|-a /);
    expect(command).toContain('"$REDIS_PASSWORD" > /tmp/auth.conf');
    expect(env(redis).REDISCLI_AUTH).toEqual({ secretKeyRef: { name: "redis-credentials", key: "REDIS_PASSWORD" } });
    expect(container(redis).readinessProbe.exec.command.join(" ")).toContain("PING");
    expect(container(redis).readinessProbe.exec.command.join(" ")).not.toContain("-a");
    expect(redis.spec.strategy.type).toBe("Recreate");
  });
  it("turns AOF on only with persistence", () => {
    const conf = find("ConfigMap", "redis-config").data["redis.conf"];
    expect(conf).toContain("appendonly no");
    expect(conf).toContain("include /tmp/auth.conf");
  });
});

describe("migration Job", () => {
  const job = objects.find((o) => o.kind === "Job" && o.metadata.name.startsWith("mcp-migration-v1-0-8-"))!;
  it("waits for the database, then bootstraps it, with bounded retries", () => {
    const cmd = container(job).command.join(" ");
    expect(cmd).toMatch(/db_isready\.py.*python3 -m mcpgateway\.bootstrap_db/);
    expect(job.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 600 });
    expect(job.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
    expect(env(job).MCPGATEWAY_SKIP_MIGRATIONS).toBeUndefined();
    expect(env(job).DATABASE_URL).toBe(env(find("Deployment", "mcp-gateway")).DATABASE_URL);
  });
  it("is an Argo CD Sync hook recreated before each sync, so it never blocks on the gateway", () => {
    expect(job.metadata.annotations).toMatchObject({ "argocd.argoproj.io/hook": "Sync", "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation" });
  });
});

describe("every workload", () => {
  it("is hardened for Pod Security restricted, with its own ServiceAccount and no token", () => {
    expect(workloads.length).toBeGreaterThanOrEqual(5);
    for (const w of workloads) {
      const p = podSpec(w);
      expect(p.automountServiceAccountToken, w.metadata.name).toBe(false);
      expect(p.securityContext.runAsNonRoot).toBe(true);
      expect(p.securityContext.seccompProfile.type).toBe("RuntimeDefault");
      for (const c of p.containers) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
        // Every container states its requests and limits (a quantity each, not an empty object).
        expect(c.resources, `${w.metadata.name}/${c.name}`).toMatchObject({ requests: { cpu: expect.stringMatching(/^\d+(\.\d+)?m?$/), memory: expect.stringMatching(/^\d+(Mi|Gi)$/) }, limits: { cpu: expect.stringMatching(/^\d+(\.\d+)?m?$/), memory: expect.stringMatching(/^\d+(Mi|Gi)$/) } });
      }
      const sa = find("ServiceAccount", p.serviceAccountName);
      expect(sa.automountServiceAccountToken).toBe(false);
    }
  });
  it("selects its pods with stable labels only and carries the recommended labels", () => {
    for (const w of workloads.filter((x) => x.kind !== "Job")) {
      expect(Object.keys(w.spec.selector.matchLabels).sort()).toEqual(["app.kubernetes.io/instance", "app.kubernetes.io/name"]);
      expect(matches(w.spec.selector.matchLabels, w.spec.template.metadata.labels)).toBe(true);
    }
    for (const o of objects) {
      for (const key of ["name", "instance", "component", "part-of", "managed-by"]) {
        expect(o.metadata.labels?.[`app.kubernetes.io/${key}`], `${o.kind}/${o.metadata.name} ${key}`).toBeTruthy();
      }
    }
  });
  it("has a Service that selects it and whose target ports exist", () => {
    for (const svc of objects.filter((o) => o.kind === "Service")) {
      const selected = workloads.filter((w) => matches(svc.spec.selector, w.spec.template.metadata.labels));
      expect(selected.length, svc.metadata.name).toBe(1);
      const portNames = selected[0]!.spec.template.spec.containers.flatMap((c: Any) => c.ports.map((p: Any) => p.name));
      for (const p of svc.spec.ports) expect(portNames).toContain(p.targetPort);
    }
  });
  it("is covered by NetworkPolicies whose peers select real pods", () => {
    const policies = objects.filter((o) => o.kind === "NetworkPolicy");
    expect(policies.find((p) => p.metadata.name === "default-deny-all")?.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const podLabels = workloads.map((w) => w.spec.template.metadata.labels);
    for (const w of workloads) {
      const own = policies.filter((p) => p.spec.podSelector.matchLabels && matches(p.spec.podSelector.matchLabels, w.spec.template.metadata.labels));
      expect(own.length, w.metadata.name).toBeGreaterThan(0);
    }
    for (const p of policies) {
      for (const rule of [...(p.spec.ingress ?? []).map((r: Any) => r.from), ...(p.spec.egress ?? []).map((r: Any) => r.to)]) {
        for (const peer of rule) {
          if (!peer.podSelector?.matchLabels || peer.namespaceSelector) continue;
          expect(podLabels.some((l) => matches(peer.podSelector.matchLabels, l)), `${p.metadata.name} peer`).toBe(true);
        }
      }
    }
    const pg = policies.find((p) => p.metadata.name === "postgres")!;
    const pgClients = pg.spec.ingress[0].from.map((f: Any) => f.podSelector.matchLabels["app.kubernetes.io/name"]);
    expect(pgClients).toEqual(["mcp-gateway", "mcp-migration"]);
  });
  it("lives in a namespace that enforces Pod Security restricted", () => {
    expect(find("Namespace", "mcp").metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });
  it("keeps the admin UIs out of the base", () => {
    expect(objects.some((o) => /pgadmin|redis-commander/.test(o.metadata.name))).toBe(false);
  });
});
