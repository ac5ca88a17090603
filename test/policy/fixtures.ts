// Builders for policy tests: a small application that passes every rule under the production
// profile, and helpers to break one thing at a time.
import type { K8sObject, SourceObject } from "@mcp-stack/policy-engine";

export type Obj = Record<string, any>;

export const NS = "app";
const LABELS = {
  "app.kubernetes.io/name": "web",
  "app.kubernetes.io/instance": "web",
  "app.kubernetes.io/component": "frontend",
  "app.kubernetes.io/part-of": "shop",
  "app.kubernetes.io/managed-by": "kustomize",
};
const SELECTOR = { "app.kubernetes.io/name": "web", "app.kubernetes.io/component": "frontend" };

export const clone = <T>(v: T): T => structuredClone(v);

export function container(overrides: Obj = {}): Obj {
  return {
    name: "web",
    image: "registry.example/web:1.2.3@sha256:" + "a".repeat(64),
    ports: [{ name: "http", containerPort: 8080 }],
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    resources: { requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "64Mi" }, limits: { cpu: "1", memory: "256Mi", "ephemeral-storage": "256Mi" } },
    readinessProbe: { httpGet: { path: "/ready", port: "http" } },
    livenessProbe: { httpGet: { path: "/health", port: "http" }, initialDelaySeconds: 30 },
    ...overrides,
  };
}

export function podSpec(overrides: Obj = {}): Obj {
  return {
    serviceAccountName: "web",
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: SELECTOR } }],
    containers: [container()],
    ...overrides,
  };
}

export function deployment(name = "web", spec: Obj = {}): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: NS, labels: { ...LABELS } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { ...SELECTOR } },
      template: { metadata: { labels: { ...LABELS } }, spec: podSpec() },
      ...spec,
    },
  };
}

export const service = (spec: Obj = {}): Obj => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web", namespace: NS, labels: { ...LABELS } },
  spec: { selector: { ...SELECTOR }, ports: [{ name: "http", port: 80, targetPort: "http" }], ...spec },
});

export const networkPolicy = (spec: Obj = {}): Obj => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "web", namespace: NS },
  spec: {
    podSelector: { matchLabels: { ...SELECTOR } },
    policyTypes: ["Ingress", "Egress"],
    ingress: [{ from: [{ podSelector: { matchLabels: { ...SELECTOR } } }] }],
    egress: [{ to: [{ podSelector: { matchLabels: { ...SELECTOR } } }] }],
    ...spec,
  },
});

export const pdb = (spec: Obj = {}): Obj => ({
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name: "web", namespace: NS },
  spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: { ...SELECTOR } }, ...spec },
});

export const serviceAccount = (): Obj => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "web", namespace: NS }, automountServiceAccountToken: false });

export const hpa = (spec: Obj = {}): Obj => ({
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "web", namespace: NS },
  spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 2, maxReplicas: 5, ...spec },
});

export const ingress = (spec: Obj = {}): Obj => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name: "web", namespace: NS },
  spec: {
    tls: [{ hosts: ["web.example.com"], secretName: "web-tls" }],
    rules: [{ host: "web.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { name: "http" } } } }] } }],
    ...spec,
  },
});

export const configMap = (name: string, data: Record<string, string>): Obj => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: NS }, data });
export const secret = (name: string, stringData: Record<string, string>): Obj => ({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: NS }, stringData });

/** A compliant application: every rule passes under production. */
export function goodSet(): Obj[] {
  return [serviceAccount(), deployment(), service(), networkPolicy(), pdb()];
}

export function sources(objects: Obj[], file = "test.yaml"): SourceObject[] {
  return objects.map((object, i) => ({ object: object as K8sObject, file, line: 1 + i * 10 }));
}

/** The good set with the Deployment changed by `edit`. */
export function withDeployment(edit: (d: Obj) => void, extra: Obj[] = []): Obj[] {
  const set = goodSet();
  edit(set[1]!);
  return [...set, ...extra];
}

export const firstContainer = (d: Obj): Obj => d.spec.template.spec.containers[0];

// ── the gateway ─────────────────────────────────────────────────────────────────────────────

const GW_LABELS = { "app.kubernetes.io/name": "mcp-gateway", "app.kubernetes.io/component": "gateway" };
const STRONG_KEY = "q8Zr2vN5xL0pT7wKc3Hj9sYb4Fm6Ud1Ae5Gi8Ro2";

export function gatewayDeployment(env: Obj[] | undefined = undefined): Obj {
  const d = deployment("mcp-gateway");
  d.spec.selector.matchLabels = { ...GW_LABELS };
  d.spec.template.metadata.labels = { ...d.spec.template.metadata.labels, ...GW_LABELS };
  Object.assign(firstContainer(d), {
    name: "gateway",
    image: "ghcr.io/ibm/mcp-context-forge:v1.0.8",
    ports: [{ name: "http", containerPort: 4444 }],
    envFrom: [{ configMapRef: { name: "gateway-config" } }],
    env: env ?? [
      { name: "POSTGRES_USER", valueFrom: { secretKeyRef: { name: "pg", key: "POSTGRES_USER" } } },
      { name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { name: "pg", key: "POSTGRES_PASSWORD" } } },
      { name: "POSTGRES_HOST", value: "postgres" },
      { name: "POSTGRES_PORT", value: "5432" },
      { name: "POSTGRES_DB", value: "mcp" },
      { name: "DATABASE_URL", value: "postgresql+psycopg://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@$(POSTGRES_HOST):$(POSTGRES_PORT)/$(POSTGRES_DB)" },
    ],
  });
  return d;
}

export function migrationJob(env: Obj[] = []): Obj {
  const labels = { "app.kubernetes.io/name": "mcp-gateway", "app.kubernetes.io/component": "migration" };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "mcp-migration", namespace: NS, labels },
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: 600,
      ttlSecondsAfterFinished: 300,
      template: {
        metadata: { labels },
        spec: podSpec({
          restartPolicy: "Never",
          containers: [
            container({
              name: "migrate",
              image: "ghcr.io/ibm/mcp-context-forge:v1.0.8",
              command: ["python3", "-m", "mcpgateway.bootstrap_db"],
              ports: undefined,
              readinessProbe: undefined,
              livenessProbe: undefined,
              env: [{ name: "DATABASE_URL", value: "postgresql+psycopg://mcp:$(PW)@postgres:5432/mcp" }, ...env],
            }),
          ],
        }),
      },
    },
  };
}

/** A gateway with its ConfigMap, Secret and migration Job, clean under production. */
export function gatewaySet(config: Record<string, string> = {}): Obj[] {
  const job = migrationJob();
  firstContainer({ spec: { template: job.spec.template } }).env.unshift({ name: "PW", valueFrom: { secretKeyRef: { name: "pg", key: "POSTGRES_PASSWORD" } } });
  return [
    gatewayDeployment(),
    configMap("gateway-config", { HOST: "0.0.0.0", PORT: "4444", MCPGATEWAY_SKIP_MIGRATIONS: "true", ...config }),
    secret("pg", { POSTGRES_USER: "mcp", POSTGRES_PASSWORD: "Vq7rT2mX9pLs4Kd8" }),
    secret("gateway", { JWT_SECRET_KEY: STRONG_KEY, AUTH_ENCRYPTION_SECRET: STRONG_KEY.split("").reverse().join("") }),
    job,
  ];
}

// ── routes ──────────────────────────────────────────────────────────────────────────────────

export const gatewayApiGateway = (spec: Obj = {}): Obj => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { name: "edge", namespace: NS },
  spec: {
    gatewayClassName: "eg",
    listeners: [
      { name: "http", protocol: "HTTP", port: 80, hostname: "web.example.com" },
      { name: "https", protocol: "HTTPS", port: 443, hostname: "web.example.com", tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "web-tls" }] } },
    ],
    ...spec,
  },
});

export const httpRoute = (spec: Obj = {}, name = "web"): Obj => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name, namespace: NS },
  spec: {
    parentRefs: [{ name: "edge", sectionName: "https" }],
    hostnames: ["web.example.com"],
    rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: "web", port: 80 }] }],
    ...spec,
  },
});

export const redirectRoute = (): Obj =>
  httpRoute({ parentRefs: [{ name: "edge", sectionName: "http" }], rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }] }, "web-redirect");

/** The web pods admit the Gateway's proxies (another namespace) on their container port. */
export const edgePolicy = (): Obj =>
  networkPolicy({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "envoy-gateway-system" } } }], ports: [{ protocol: "TCP", port: 8080 }] }] });

/** The compliant set routed through a Gateway with TLS (HTTP only redirects): clean under production. */
export function routedSet(): Obj[] {
  const set = goodSet();
  set[3] = edgePolicy();
  return [...set, gatewayApiGateway(), httpRoute(), redirectRoute()];
}
