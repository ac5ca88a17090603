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

const rbac = (kind: "Role" | "ClusterRole", name: string, rules: Obj[]): Obj => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind,
  metadata: { name, ...(kind === "Role" ? { namespace: NS } : {}) },
  rules,
});
const binding = (kind: "RoleBinding" | "ClusterRoleBinding", roleKind: string, role: string): Obj => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind,
  metadata: { name: `bind-${role}`, ...(kind === "RoleBinding" ? { namespace: NS } : {}) },
  subjects: [{ kind: "ServiceAccount", name: "web", namespace: NS }],
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: roleKind, name: role },
});
const readPods = rbac("Role", "reader", [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }]);
const serviceMonitor = (kind: "ServiceMonitor" | "PodMonitor", matchLabels: Obj): Obj => ({
  apiVersion: "monitoring.coreos.com/v1",
  kind,
  metadata: { name: "web", namespace: NS },
  spec: { selector: { matchLabels }, [kind === "ServiceMonitor" ? "endpoints" : "podMetricsEndpoints"]: [{ port: "http" }] },
});
const cronJob = (restartPolicy?: string): Obj => {
  const job = migrationJob();
  if (restartPolicy === undefined) delete job.spec.template.spec.restartPolicy;
  else job.spec.template.spec.restartPolicy = restartPolicy;
  return job;
};

const CASES: Record<string, Case> = {
  "rbac-cluster-admin-binding": {
    bad: () => [...goodSet(), binding("ClusterRoleBinding", "ClusterRole", "cluster-admin")],
    good: () => [...goodSet(), readPods, binding("RoleBinding", "Role", "reader")],
  },
  "rbac-wildcard": {
    bad: () => [...goodSet(), rbac("Role", "any", [{ apiGroups: [""], resources: ["pods"], verbs: ["*"] }])],
    good: () => [...goodSet(), readPods],
  },
  "rbac-secret-read": {
    // A binding grants it through the role: both are reported.
    bad: () => [...goodSet(), rbac("ClusterRole", "secrets", [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }]), binding("RoleBinding", "ClusterRole", "secrets")],
    good: () => [...goodSet(), readPods, binding("RoleBinding", "Role", "reader")],
  },
  "rbac-pod-exec-attach": {
    bad: () => [...goodSet(), binding("RoleBinding", "ClusterRole", "edit")],
    good: () => [...goodSet(), readPods, binding("RoleBinding", "Role", "reader"), binding("RoleBinding", "ClusterRole", "view")],
  },
  "rbac-pod-create": {
    bad: () => [...goodSet(), rbac("Role", "deployer", [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["create"] }])],
    good: () => [...goodSet(), readPods],
  },
  "rbac-role-exists": {
    bad: () => [...goodSet(), binding("RoleBinding", "Role", "missing")],
    good: () => [...goodSet(), readPods, binding("RoleBinding", "Role", "reader"), binding("RoleBinding", "ClusterRole", "view")],
  },
  "monitor-selects": {
    bad: () => [...goodSet(), serviceMonitor("ServiceMonitor", { "app.kubernetes.io/name": "ghost" }), serviceMonitor("PodMonitor", { app: "ghost" })],
    good: () => [...goodSet(), serviceMonitor("ServiceMonitor", { "app.kubernetes.io/name": "web" }), serviceMonitor("PodMonitor", { "app.kubernetes.io/component": "frontend" })],
  },
  "default-service-account": {
    bad: () => withDeployment((d) => delete pod(d).serviceAccountName).filter((o) => o.kind !== "ServiceAccount"),
  },
  "deprecated-service-account-field": { bad: () => withDeployment((d) => (pod(d).serviceAccount = "web")) },
  "no-ssh-port": { bad: () => withDeployment((d) => firstContainer(d).ports.push({ name: "ssh", containerPort: 22 })) },
  "no-privileged-ports": {
    bad: () => withDeployment((d) => (firstContainer(d).ports[0].containerPort = 80)),
    good: () => withDeployment((d) => (firstContainer(d).ports[0].containerPort = 1024)),
  },
  "run-as-group-non-zero": { bad: () => withDeployment((d) => (sc(d).runAsGroup = 0)) },
  "job-restart-policy": { bad: () => [...goodSet(), cronJob()], good: () => [...goodSet(), cronJob("OnFailure")] },
  "pdb-has-policy": { bad: () => goodSet().map((o) => (o.kind === "PodDisruptionBudget" ? pdb({ maxUnavailable: undefined }) : o)) },
  "priority-class": {
    bad: () => [postgres(), pvc("pg-data"), pv("pg")],
    good: () => [
      withDeployment((d) => {
        d.metadata.name = "postgres";
        d.spec.strategy = { type: "Recreate" };
        firstContainer(d).image = "postgres:17@sha256:" + "b".repeat(64);
        pod(d).priorityClassName = "data-stores";
        pod(d).volumes = [{ name: "data", persistentVolumeClaim: { claimName: "pg-data" } }];
      })[1]!,
      pvc("pg-data"),
      pv("pg"),
    ],
  },
  "ephemeral-storage": { bad: () => withDeployment((d) => delete firstContainer(d).resources.limits["ephemeral-storage"]) },
  "label-consistency": { bad: () => withDeployment((d) => (d.spec.template.metadata.labels["app.kubernetes.io/part-of"] = "other")) },
  "container-ports": {
    bad: () => withDeployment((d) => firstContainer(d).ports.push({ name: "a-very-long-port-name", containerPort: 9000 }, { name: "http", containerPort: 9001 })),
  },
  "topology-spread-valid": { bad: () => withDeployment((d) => (pod(d).topologySpreadConstraints[0].labelSelector = { matchLabels: { app: "other" } })) },
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
  "listener-certificate-grant": {
    bad: () => [...routedSet().filter((o) => o.kind !== "Gateway"), gatewayApiGateway({ listeners: [{ name: "https", protocol: "HTTPS", port: 443, hostname: "web.example.com", tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "wildcard", namespace: "certs" }] } }] })],
    good: () => [
      ...routedSet().filter((o) => o.kind !== "Gateway"),
      gatewayApiGateway({ listeners: [{ name: "https", protocol: "HTTPS", port: 443, hostname: "web.example.com", tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "wildcard", namespace: "certs" }] } }] }),
      { apiVersion: "gateway.networking.k8s.io/v1beta1", kind: "ReferenceGrant", metadata: { name: "gateways", namespace: "certs" }, spec: { from: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: NS }], to: [{ group: "", kind: "Secret", name: "wildcard" }] } },
    ],
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

const ids = (objects: Obj[], ruleId: string, options: { profile?: string | import("@mcp-stack/policy-engine").Profile } = {}) =>
  evaluate(sources(objects), { profile: options.profile ?? "production" }).findings.filter((f) => f.ruleId === ruleId);

describe("gaps closed (issue 18, point 2)", () => {
  it("networkpolicy-coverage needs both directions and covers Job and CronJob pods", () => {
    const ingressOnly = goodSet().map((o) => (o.kind === "NetworkPolicy" ? networkPolicy({ policyTypes: ["Ingress"], egress: undefined }) : o));
    expect(ids(ingressOnly, "networkpolicy-coverage").map((f) => f.message)).toEqual(["no NetworkPolicy isolates egress of these pods (policyTypes)"]);
    // Without policyTypes, egress rules make it an Egress policy too (the API server's default).
    const implicit = goodSet().map((o) => (o.kind === "NetworkPolicy" ? networkPolicy({ policyTypes: undefined }) : o));
    expect(ids(implicit, "networkpolicy-coverage")).toEqual([]);
    const job = migrationJob();
    expect(ids([...goodSet(), job], "networkpolicy-coverage").map((f) => f.object.kind)).toEqual(["Job"]);
  });

  it("policies with one selector are taken together (grouped once): one per direction isolates both, a third changes nothing", () => {
    const split = goodSet().flatMap((o) =>
      o.kind === "NetworkPolicy"
        ? [
            { ...networkPolicy({ policyTypes: ["Ingress"], egress: undefined }), metadata: { name: "in", namespace: NS } },
            { ...networkPolicy({ policyTypes: ["Egress"], ingress: undefined }), metadata: { name: "out", namespace: NS } },
          ]
        : [o],
    );
    expect(ids(split, "networkpolicy-coverage")).toEqual([]);
    const onlyIngressTwice = split.map((o) => (o.metadata?.name === "out" ? { ...networkPolicy({ policyTypes: ["Ingress"], egress: undefined }), metadata: { name: "out", namespace: NS } } : o));
    expect(ids(onlyIngressTwice, "networkpolicy-coverage").map((f) => f.message)).toEqual(["no NetworkPolicy isolates egress of these pods (policyTypes)"]);
  });

  it("pdb-allows-eviction: copies of a PDB with one selector each count the replicas of everything it selects", () => {
    const copies = (minAvailable: number) =>
      goodSet().flatMap((o) => (o.kind === "PodDisruptionBudget" ? [1, 2, 3].map((i) => ({ ...pdb({ maxUnavailable: undefined, minAvailable }), metadata: { name: `pdb-${i}`, namespace: NS } })) : [o]));
    const blocking = ids(copies(2), "pdb-allows-eviction");
    expect(blocking.map((f) => f.object.name)).toEqual(["pdb-1", "pdb-2", "pdb-3"]);
    expect(new Set(blocking.map((f) => f.message)).size).toBe(1);
    expect(ids(copies(1), "pdb-allows-eviction")).toEqual([]);
  });

  it("probe-port-exists rejects a TCP probe on a UDP port", () => {
    const bad = withDeployment((d) => {
      firstContainer(d).ports = [{ name: "http", containerPort: 8080, protocol: "UDP" }];
    });
    expect(ids(bad, "probe-port-exists")[0]?.message).toMatch(/probes UDP port http over TCP/);
  });

  it.each([
    ["SECRET_X", true],
    ["X_SECRET", true],
    ["APP_SECRET_VALUE", true],
    ["AZURE_BATCH_KEY", true],
    ["OCI_CLI_KEY_CONTENT", true],
    ["AWS_SECRET_ACCESS_KEY", true],
    ["DB_PASS", true],
    ["dbPassword", true],
    ["TOKEN_EXPIRY", false],
    ["PASSWORD_MIN_LENGTH", false],
    ["SECRET_NAME", false],
    ["CACHE_KEY", false],
  ])("secret-literal-env treats %s as secret-like: %s", (name, secretLike) => {
    const set = withDeployment((d) => (firstContainer(d).env = [{ name, value: "s0me-l1teral-value" }]));
    expect(ids(set, "secret-literal-env").length > 0).toBe(secretLike);
  });

  it.each(["-----", "---"])("finds PEM private keys written with %s", (dashes) => {
    const pem = `${dashes}BEGIN OPENSSH PRIVATE KEY${dashes}\nxxxx\n${dashes}END OPENSSH PRIVATE KEY${dashes}`;
    expect(ids([...goodSet(), configMap("c", { the_good_stuff: pem })], "no-secrets-in-configmap")[0]?.message).toBe("the_good_stuff holds a private key");
  });

  it("pod-spreading accepts anti-affinity only when it selects the pod's own labels and namespace", () => {
    const withAnti = (term: Obj) =>
      withDeployment((d) => {
        delete pod(d).topologySpreadConstraints;
        pod(d).affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", ...term } }] } };
      });
    const own = { labelSelector: { matchLabels: { "app.kubernetes.io/name": "web" } } };
    expect(ids(withAnti(own), "pod-spreading")).toEqual([]);
    expect(ids(withAnti({ labelSelector: { matchLabels: { app: "other" } } }), "pod-spreading")[0]?.message).toMatch(/own labels/);
    expect(ids(withAnti({ ...own, namespaces: ["elsewhere"] }), "pod-spreading")).toHaveLength(1);
    expect(ids(withAnti({ ...own, namespaces: [NS] }), "pod-spreading")).toEqual([]);
  });

  it("ingress-backend-exists rejects the legacy serviceName/servicePort backend in networking.k8s.io/v1", () => {
    const legacy = ingress({ rules: [{ host: "web.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { serviceName: "web", servicePort: 80 } }] } }] });
    expect(ids([...goodSet(), legacy], "ingress-backend-exists")[0]?.message).toMatch(/legacy serviceName\/servicePort/);
    expect(ids([...goodSet(), { ...legacy, apiVersion: "networking.k8s.io/v1beta1" }], "ingress-backend-exists")).toEqual([]);
  });

  it("replica thresholds are parameters a profile can set", () => {
    const three: import("@mcp-stack/policy-engine").Profile = { name: "three", description: "", severities: {}, parameters: { "min-replicas": { minReplicas: 3 }, "pdb-present": { minReplicas: 1 } } };
    expect(ids(goodSet(), "min-replicas")).toEqual([]);
    expect(ids(goodSet(), "min-replicas", { profile: three })[0]?.message).toBe("runs 2 replica");
    const single = withDeployment((d) => (d.spec.replicas = 1)).filter((o) => o.kind !== "PodDisruptionBudget");
    expect(ids(single, "pdb-present")).toEqual([]);
    expect(ids(single, "pdb-present", { profile: three })).toHaveLength(1);
  });

  it("every rule parameter documents what it means", () => {
    for (const r of RULES) for (const [name, p] of Object.entries(r.parameters ?? {})) expect(p.description, `${r.id}.${name}`).toBeTruthy();
  });
});
