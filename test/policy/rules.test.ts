// Every rule: at least one violating and one passing input, evaluated through the engine.
import { describe, expect, it } from "vitest";
import { evaluate, RULES } from "../../policy/engine.ts";
import {
  clone, configMap, deployment, firstContainer, gatewayApiGateway, gatewayDeployment, gatewaySet, goodSet, hpa, httpRoute, ingress, migrationJob,
  networkPolicy, NS, pdb, routedSet, secret, service, sources, withDeployment, type Obj,
} from "./fixtures.ts";

interface Case {
  bad: () => Obj[];
  /** Defaults to the compliant set. */
  good?: () => Obj[];
  profile?: string;
  kubernetesVersion?: string;
}

const pod = (d: Obj) => d.spec.template.spec;
const sc = (d: Obj) => firstContainer(d).securityContext;

const pv = (name: string, spec: Obj = {}): Obj => ({
  apiVersion: "v1",
  kind: "PersistentVolume",
  metadata: { name },
  spec: { storageClassName: "manual", capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"], persistentVolumeReclaimPolicy: "Retain", csi: { driver: "x", volumeHandle: "h" }, ...spec },
});
const pvc = (name: string, spec: Obj = {}): Obj => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: NS },
  spec: { storageClassName: "manual", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "5Gi" } }, ...spec },
});
const postgres = (claim = "pg-data"): Obj =>
  withDeployment((d) => {
    d.metadata.name = "postgres";
    d.spec.strategy = { type: "Recreate" };
    firstContainer(d).image = "postgres:17@sha256:" + "b".repeat(64);
    pod(d).volumes = [{ name: "data", persistentVolumeClaim: { claimName: claim } }];
  })[1]!;
const statefulSet = (serviceName = "db"): Obj => {
  const d = deployment("db");
  return { ...d, kind: "StatefulSet", spec: { ...d.spec, serviceName } };
};
const headless = (name: string): Obj => ({ ...service({ clusterIP: "None" }), metadata: { name, namespace: NS } });

const CASES: Record<string, Case> = {
  "run-as-non-root": { bad: () => withDeployment((d) => (pod(d).securityContext.runAsNonRoot = false)) },
  "run-as-user-non-zero": { bad: () => withDeployment((d) => (sc(d).runAsUser = 0)) },
  "no-privilege-escalation": { bad: () => withDeployment((d) => delete sc(d).allowPrivilegeEscalation) },
  "drop-all-capabilities": { bad: () => withDeployment((d) => (sc(d).capabilities = { drop: ["NET_RAW"] })) },
  "no-added-capabilities": {
    bad: () => withDeployment((d) => (sc(d).capabilities.add = ["SYS_ADMIN"])),
    good: () => withDeployment((d) => (sc(d).capabilities.add = ["NET_BIND_SERVICE"])),
  },
  "seccomp-profile": { bad: () => withDeployment((d) => (sc(d).seccompProfile = { type: "Unconfined" })) },
  "allowed-volume-types": {
    bad: () => withDeployment((d) => (pod(d).volumes = [{ name: "n", nfs: { server: "s", path: "/" } }])),
    good: () => withDeployment((d) => (pod(d).volumes = [{ name: "tmp", emptyDir: {} }])),
  },
  "no-host-namespaces": { bad: () => withDeployment((d) => (pod(d).hostNetwork = true)) },
  "no-host-ports": { bad: () => withDeployment((d) => (firstContainer(d).ports[0].hostPort = 8080)) },
  "no-host-path-volumes": { bad: () => withDeployment((d) => (pod(d).volumes = [{ name: "sock", hostPath: { path: "/var/run/docker.sock" } }])) },
  "not-privileged": { bad: () => withDeployment((d) => (sc(d).privileged = true)) },
  "safe-sysctls": {
    bad: () => withDeployment((d) => (pod(d).securityContext.sysctls = [{ name: "kernel.msgmax", value: "1" }])),
    good: () => withDeployment((d) => (pod(d).securityContext.sysctls = [{ name: "net.ipv4.tcp_syncookies", value: "1" }])),
  },
  "default-proc-mount": { bad: () => withDeployment((d) => (sc(d).procMount = "Unmasked")) },
  "read-only-root-filesystem": { bad: () => withDeployment((d) => (sc(d).readOnlyRootFilesystem = false)) },
  "no-service-account-token": {
    bad: () => withDeployment((d) => delete pod(d).automountServiceAccountToken).map((o) => (o.kind === "ServiceAccount" ? { ...o, automountServiceAccountToken: true } : o)),
    // Inherited from the ServiceAccount.
    good: () => withDeployment((d) => delete pod(d).automountServiceAccountToken),
  },
  "service-account-exists": { bad: () => goodSet().filter((o) => o.kind !== "ServiceAccount") },
  "resource-requests": { bad: () => withDeployment((d) => delete firstContainer(d).resources.requests.cpu) },
  "memory-limit": { bad: () => withDeployment((d) => delete firstContainer(d).resources.limits.memory) },
  "cpu-limit": { bad: () => withDeployment((d) => delete firstContainer(d).resources.limits.cpu) },
  "readiness-probe": { bad: () => withDeployment((d) => delete firstContainer(d).readinessProbe) },
  "liveness-probe": { bad: () => withDeployment((d) => delete firstContainer(d).livenessProbe) },
  "probe-port-exists": { bad: () => withDeployment((d) => (firstContainer(d).livenessProbe.httpGet.port = "metrics")) },
  "probes-differ": { bad: () => withDeployment((d) => (firstContainer(d).livenessProbe = clone(firstContainer(d).readinessProbe))) },
  "selector-matches-template": { bad: () => withDeployment((d) => (d.spec.selector.matchLabels = { app: "other" })) },
  "duplicate-env": {
    bad: () => withDeployment((d) => (firstContainer(d).env = [{ name: "A", value: "1" }, { name: "A", value: "2" }])),
    good: () => withDeployment((d) => (firstContainer(d).env = [{ name: "A", value: "1" }, { name: "B", value: "2" }])),
  },
  "config-refs-exist": {
    bad: () => withDeployment((d) => (firstContainer(d).envFrom = [{ configMapRef: { name: "settings" } }])),
    good: () => withDeployment((d) => (firstContainer(d).envFrom = [{ configMapRef: { name: "settings" } }]), [configMap("settings", { A: "1" })]),
  },
  "statefulset-headless-service": {
    bad: () => [...goodSet(), statefulSet("db"), service({ selector: deployment().spec.selector.matchLabels })],
    good: () => [...goodSet(), statefulSet("db"), headless("db")],
  },
  "image-tag": {
    bad: () => withDeployment((d) => (firstContainer(d).image = "nginx:latest")),
    good: () => withDeployment((d) => (firstContainer(d).image = "nginx:1.27")),
  },
  "image-digest": { bad: () => withDeployment((d) => (firstContainer(d).image = "nginx:1.27")) },
  "min-replicas": {
    bad: () => withDeployment((d) => (d.spec.replicas = 1)),
    // A Recreate singleton is not flagged.
    good: () => withDeployment((d) => Object.assign(d.spec, { replicas: 1, strategy: { type: "Recreate" } })),
  },
  "pdb-present": { bad: () => goodSet().filter((o) => o.kind !== "PodDisruptionBudget") },
  "pdb-allows-eviction": {
    bad: () => goodSet().map((o) => (o.kind === "PodDisruptionBudget" ? pdb({ maxUnavailable: undefined, minAvailable: 2 }) : o)),
    good: () => goodSet().map((o) => (o.kind === "PodDisruptionBudget" ? pdb({ maxUnavailable: undefined, minAvailable: 1 }) : o)),
  },
  "pdb-targets-pods": { bad: () => [...goodSet(), { ...pdb({ selector: { matchLabels: { app: "ghost" } } }), metadata: { name: "ghost", namespace: NS } }] },
  "pod-spreading": { bad: () => withDeployment((d) => delete pod(d).topologySpreadConstraints) },
  "hpa-min-replicas": {
    bad: () => [...withDeployment((d) => delete d.spec.replicas), hpa({ minReplicas: 1 })],
    good: () => [...withDeployment((d) => delete d.spec.replicas), hpa()],
  },
  "hpa-min-le-max": { bad: () => [...withDeployment((d) => delete d.spec.replicas), hpa({ minReplicas: 6, maxReplicas: 5 })], good: () => [...withDeployment((d) => delete d.spec.replicas), hpa()] },
  "hpa-target-exists": { bad: () => [...goodSet(), hpa({ scaleTargetRef: { kind: "Deployment", name: "nope" } })], good: () => [...withDeployment((d) => delete d.spec.replicas), hpa()] },
  "hpa-target-no-replicas": { bad: () => [...goodSet(), hpa()], good: () => [...withDeployment((d) => delete d.spec.replicas), hpa()] },
  "pdb-unhealthy-eviction-policy": { bad: () => goodSet().map((o) => (o.kind === "PodDisruptionBudget" ? pdb({ unhealthyPodEvictionPolicy: undefined }) : o)) },
  "networkpolicy-coverage": { bad: () => goodSet().filter((o) => o.kind !== "NetworkPolicy") },
  "networkpolicy-targets-pods": { bad: () => goodSet().map((o) => (o.kind === "NetworkPolicy" ? networkPolicy({ ingress: [{ from: [{ podSelector: { matchLabels: { app: "ghost" } } }] }] }) : o)) },
  "service-selector-matches": { bad: () => goodSet().map((o) => (o.kind === "Service" ? service({ selector: { app: "ghost" } }) : o)) },
  "service-target-port": {
    bad: () => goodSet().map((o) => (o.kind === "Service" ? service({ ports: [{ port: 80, targetPort: "web" }] }) : o)),
    good: () => goodSet().map((o) => (o.kind === "Service" ? service({ ports: [{ port: 80, targetPort: 8080 }] }) : o)),
  },
  "service-type": { bad: () => goodSet().map((o) => (o.kind === "Service" ? service({ type: "NodePort" }) : o)) },
  "ingress-backend-exists": { bad: () => [...goodSet(), ingress({ rules: [{ host: "web.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 9999 } } } }] } }] })], good: () => [...goodSet(), ingress()] },
  "ingress-tls": { bad: () => [...goodSet(), ingress({ tls: undefined })], good: () => [...goodSet(), ingress()] },
  "httproute-backend-exists": { bad: () => [...routedSet(), httpRoute({ rules: [{ backendRefs: [{ name: "web", port: 9999 }] }] }, "wrong-port")], good: routedSet },
  "httproute-parent-exists": { bad: () => [...routedSet(), httpRoute({ parentRefs: [{ name: "missing" }] }, "orphan")], good: routedSet },
  "route-hostnames-valid": { bad: () => [...routedSet(), httpRoute({ hostnames: ["Web.Example.com"] }, "caps")], good: routedSet },
  "listener-tls": {
    bad: () => [...routedSet().filter((o) => o.kind !== "Gateway"), gatewayApiGateway({ listeners: [{ name: "http", protocol: "HTTP", port: 80 }, { name: "https", protocol: "HTTP", port: 8080 }] })],
    good: routedSet,
  },
  "route-networkpolicy-path": { bad: () => [...goodSet(), gatewayApiGateway(), httpRoute()], good: routedSet },
  "required-labels": { bad: () => withDeployment((d) => delete d.spec.template.metadata.labels["app.kubernetes.io/name"] && (d.spec.selector.matchLabels = { "app.kubernetes.io/component": "frontend" })) },
  "recommended-labels": { bad: () => withDeployment((d) => delete d.metadata.labels["app.kubernetes.io/part-of"]) },
  "not-default-namespace": { bad: () => goodSet().map((o) => ({ ...o, metadata: { ...o.metadata, namespace: "default" } })) },
  "exemption-reason": {
    bad: () => withDeployment((d) => (d.metadata.annotations = { "policy.mcp-stack.dev/ignore-image-digest": "" })),
    good: () => withDeployment((d) => (d.metadata.annotations = { "policy.mcp-stack.dev/ignore-image-digest": "vendor image, digest pinned upstream" })),
  },
  "removed-api": { bad: () => [...goodSet(), { ...pdb(), apiVersion: "policy/v1beta1", metadata: { name: "old", namespace: NS } }] },
  "deprecated-api": {
    bad: () => [...goodSet(), { apiVersion: "autoscaling/v2beta2", kind: "HorizontalPodAutoscaler", metadata: { name: "x", namespace: NS }, spec: {} }],
    kubernetesVersion: "1.24",
  },
  "job-completion-limits": {
    bad: () => [...goodSet(), (() => { const j = migrationJob(); delete j.spec.activeDeadlineSeconds; return j; })()],
    good: () => [...goodSet(), migrationJob()],
  },
  "pv-claim-match": {
    bad: () => [postgres(), pvc("pg-data", { resources: { requests: { storage: "20Gi" } } }), pv("pg")],
    good: () => [postgres(), pvc("pg-data"), pv("pg")],
  },
  "pv-reclaim-retain": {
    bad: () => [postgres(), pvc("pg-data"), pv("pg", { persistentVolumeReclaimPolicy: "Delete" })],
    good: () => [postgres(), pvc("pg-data"), pv("pg")],
  },
  "pv-host-path": {
    bad: () => [postgres(), pvc("pg-data"), pv("pg", { csi: undefined, hostPath: { path: "/mnt/data/postgres" } })],
    good: () => [postgres(), pvc("pg-data"), pv("pg")],
  },
  "no-secret-data": { bad: () => [...goodSet(), secret("s", { A: "b" })], good: () => [...goodSet(), { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: NS } }] },
  "secret-literal-env": {
    bad: () => withDeployment((d) => (firstContainer(d).env = [{ name: "API_TOKEN", value: "abc123def456ghi789" }])),
    good: () => withDeployment((d) => (firstContainer(d).env = [{ name: "TOKEN_EXPIRY", value: "1440" }, { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "s", key: "t" } } }])),
  },
  "no-secrets-in-configmap": {
    bad: () => [...goodSet(), configMap("c", { REDIS_URL: "redis://:hunter2hunter2@redis:6379/0" })],
    good: () => [...goodSet(), configMap("c", { REDIS_URL: "redis://:$(REDIS_PASSWORD)@redis:6379/0", PASSWORD_MIN_LENGTH: "12" })],
  },
  "secret-strength": {
    bad: () => [...goodSet(), secret("g", { JWT_SECRET_KEY: "my-test-key-but-now-longer-than-32-bytes" })],
    good: () => [...goodSet(), secret("g", { JWT_SECRET_KEY: "q8Zr2vN5xL0pT7wKc3Hj9sYb4Fm6Ud1Ae5Gi8Ro2" })],
  },
  "gateway-bind-address": { bad: () => gatewaySet({ HOST: "127.0.0.1" }), good: () => gatewaySet() },
  "gateway-database-url": {
    bad: () => gatewaySet().map((o) => (o.metadata.name === "mcp-gateway" ? gatewayDeployment([{ name: "DATABASE_URL", value: "postgresql://u:$(PW)@db:5432/mcp" }]) : o)),
    good: () => gatewaySet(),
  },
  "gateway-skip-migrations": { bad: () => gatewaySet({ MCPGATEWAY_SKIP_MIGRATIONS: "false" }), good: () => gatewaySet() },
};

const ruleFindings = (objects: Obj[], ruleId: string, c: Case) =>
  evaluate(sources(objects), { profile: c.profile ?? "production", kubernetesVersion: c.kubernetesVersion }).findings.filter((f) => f.ruleId === ruleId);

describe("every rule", () => {
  it("has a test case", () => {
    expect(RULES.map((r) => r.id).filter((id) => !CASES[id])).toEqual([]);
  });
  it("has documentation and a kebab-case id", () => {
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.title && r.rationale && r.remediation).toBeTruthy();
    }
    expect(RULES.length).toBeGreaterThanOrEqual(35);
  });
  it("the compliant set passes every rule under production", () => {
    expect(evaluate(sources(goodSet()), { profile: "production" }).findings).toEqual([]);
  });
});

describe.each(Object.entries(CASES))("%s", (ruleId, c) => {
  it("reports the violating input", () => {
    const found = ruleFindings(c.bad(), ruleId, c);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      expect(f.path.startsWith("/") || f.path === "").toBe(true);
      expect(f.message).not.toMatch(/undefined|\[object/);
    }
  });
  it("passes the compliant input", () => {
    expect(ruleFindings((c.good ?? goodSet)(), ruleId, c)).toEqual([]);
  });
});
