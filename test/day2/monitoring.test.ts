// Component monitoring: ServiceMonitors (gateway with its bearer token), exporters, alerts, dashboard,
// NetworkPolicies and the metrics token Secret, rendered by the typed model.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  containersOf,
  defaultSettings,
  devSettings,
  eksSettings,
  githubAnchor,
  matches,
  podLabelsOf,
  podSpecOf,
  render,
  REPO_ROOT,
  settingsFrom,
  type Any,
} from "./helpers.ts";
import { requiredSecrets, SECRETS } from "../../scripts/stack/credentials.ts";
import { ensureLocalCredentials } from "../../scripts/lib/local-credentials.ts";
import { verifyJwt } from "../../scripts/stack/jwt.ts";
import { DASHBOARD_PANELS, DASHBOARD_FILE } from "../../scripts/stack/dashboard.ts";
import { gatewayConfig } from "../../scripts/stack/gateway.ts";

const eks = eksSettings();
const on = render(eks);
const MONITORING_KINDS = ["ServiceMonitor", "PrometheusRule", "PodMonitor"];

describe("switching", () => {
  it("is on in eks and off by default and in dev: no Prometheus Operator object without the setting", () => {
    expect(eks.monitoring.enabled).toBe(true);
    for (const s of [defaultSettings(), devSettings()]) {
      expect(s.monitoring.enabled).toBe(false);
      const r = render(s);
      expect(r.of("monitoring")).toEqual([]);
      expect(r.all.filter((o) => MONITORING_KINDS.includes(o.kind))).toEqual([]);
      expect(requiredSecrets(s).map((x) => x.name)).not.toContain(SECRETS.metricsToken.name);
    }
  });
  it("puts every monitoring object in the component", () => {
    const ids = on.of("monitoring").map((o) => `${o.kind}/${o.metadata.name}`);
    expect(ids).toEqual(
      expect.arrayContaining([
        "ServiceMonitor/mcp-gateway",
        "ServiceMonitor/postgres-exporter",
        "ServiceMonitor/redis-exporter",
        "PrometheusRule/mcp-stack",
        "ConfigMap/mcp-stack-grafana-dashboard",
        "Deployment/postgres-exporter",
        "Deployment/redis-exporter",
        "NetworkPolicy/mcp-gateway-from-prometheus",
        "NetworkPolicy/postgres-from-postgres-exporter",
        "NetworkPolicy/redis-from-redis-exporter",
      ]),
    );
  });
});

describe("ServiceMonitors", () => {
  const services = on.all.filter((o) => o.kind === "Service");
  for (const [name, port, pathName] of [
    ["mcp-gateway", "http", "/metrics/prometheus"],
    ["postgres-exporter", "metrics", "/metrics"],
    ["redis-exporter", "metrics", "/metrics"],
  ] as const) {
    it(`${name}: selects exactly its Service, on a port that Service has`, () => {
      const sm = on.find("ServiceMonitor", name);
      const selected = services.filter((svc) => matches(sm.spec.selector.matchLabels, svc.metadata.labels));
      expect(selected.map((svc) => svc.metadata.name)).toEqual([name]);
      const [endpoint] = sm.spec.endpoints;
      expect(endpoint).toMatchObject({ port, path: pathName, interval: eks.monitoring.scrapeInterval });
      expect(selected[0]!.spec.ports.map((p: Any) => p.name)).toContain(port);
      expect(sm.metadata.labels).toMatchObject(eks.monitoring.labels);
      expect(sm.spec.namespaceSelector).toBeUndefined(); // its own namespace, whatever the overlay's is
    });
  }
  it("scrapes the gateway with a bearer token from the metrics token Secret", () => {
    const [endpoint] = on.find("ServiceMonitor", "mcp-gateway").spec.endpoints;
    expect(endpoint.authorization).toEqual({ type: "Bearer", credentials: { name: "mcp-gateway-metrics-token", key: "token" } });
    expect(endpoint.bearerTokenSecret).toBeUndefined();
  });
  it("scrapes the exporters without credentials", () => {
    for (const name of ["postgres-exporter", "redis-exporter"]) {
      expect(on.find("ServiceMonitor", name).spec.endpoints[0].authorization).toBeUndefined();
    }
  });
});

describe("metrics token", () => {
  it("eks mints it in the cluster: no ExternalSecret, a Job that writes the Secret from the gateway's JWT_SECRET_KEY", () => {
    expect(on.maybe("ExternalSecret", "mcp-gateway-metrics-token")).toBeUndefined();
    const job = on.all.find((o) => o.kind === "Job" && o.metadata.name.startsWith("mcp-metrics-token-"))!;
    expect(job.metadata.annotations["mcp-stack.dev/creates"]).toBe("Secret/mcp-gateway-metrics-token");
    const c = job.spec.template.spec.containers[0];
    expect(c.command.join(" ")).toContain("python3 -m mcpgateway.utils.create_jwt_token");
    expect(c.env).toContainEqual({ name: "JWT_SECRET_KEY", valueFrom: { secretKeyRef: { name: "mcp-gateway-credentials", key: "JWT_SECRET_KEY" } } });
  });
  it("existingSecrets renders no Secret either, and asks for none to be created beforehand", () => {
    const s = settingsFrom("credentials: { source: existingSecrets }\nmonitoring: { enabled: true }\n");
    expect(render(s).all.filter((o) => o.kind === "Secret" || o.kind === "ExternalSecret")).toEqual([]);
    expect(requiredSecrets(s).map((x) => x.name)).not.toContain("mcp-gateway-metrics-token");
    expect(render(s).all.some((o) => o.kind === "Job" && o.metadata.name.startsWith("mcp-metrics-token-"))).toBe(true);
  });
  it("local environments get a JWT the gateway accepts, minted with its own JWT_SECRET_KEY", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-day2-"));
    try {
      const dev = devSettings();
      const s = { ...dev, monitoring: { ...dev.monitoring, enabled: true } };
      expect(s.credentials.source).toBe("local");
      const creds = ensureLocalCredentials(root, "dev", s);
      const token = creds["mcp-gateway-metrics-token"]!.token!;
      const claims = verifyJwt(token, creds["mcp-gateway-credentials"]!.JWT_SECRET_KEY!);
      expect(claims).toBeDefined();
      const config = gatewayConfig(s);
      expect(claims).toMatchObject({ sub: config.PLATFORM_ADMIN_EMAIL, aud: config.JWT_AUDIENCE, iss: config.JWT_ISSUER });
      expect(Number(claims!.exp)).toBeGreaterThan(Date.now() / 1000 + 300 * 86400);
      expect(String(claims!.jti)).toMatch(/^[0-9a-f]{32}$/);
      expect(verifyJwt(token, "another-key")).toBeUndefined();
      const secret = render(s, creds).find("Secret", "mcp-gateway-metrics-token");
      expect(Buffer.from(secret.data.token, "base64").toString()).toBe(token);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("exporters", () => {
  for (const [name, store, port] of [
    ["postgres-exporter", "postgres", 5432],
    ["redis-exporter", "redis", 6379],
  ] as const) {
    it(`${name}: hardened, probed, pinned, reading credentials from the store's Secret`, () => {
      const d = on.find("Deployment", name);
      const c = containersOf(d)[0]!;
      expect(c.image).toMatch(/:v\d+\.\d+\.\d+$/);
      expect(c.image).not.toMatch(/:latest$/);
      expect(podSpecOf(d)).toMatchObject({ automountServiceAccountToken: false, serviceAccountName: name });
      expect(podSpecOf(d).securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
      expect(c.readinessProbe.httpGet.port).toBe("metrics");
      expect(c.livenessProbe.httpGet.port).toBe("metrics");
      expect(c.resources).toMatchObject({ requests: { cpu: expect.stringMatching(/^\d+(\.\d+)?m?$/), memory: expect.stringMatching(/^\d+(Mi|Gi)$/) }, limits: { cpu: expect.stringMatching(/^\d+(\.\d+)?m?$/), memory: expect.stringMatching(/^\d+(Mi|Gi)$/) } });
      const secretRefs = (c.env as Any[]).filter((e) => e.valueFrom).map((e) => e.valueFrom.secretKeyRef.name);
      expect(secretRefs.length).toBeGreaterThan(0);
      expect(new Set(secretRefs)).toEqual(new Set([`${store}-credentials`]));
      expect(JSON.stringify(c.env)).not.toMatch(/:\/\/[^$]*:[^$@]+@/); // no literal password in a URL
      expect(d.metadata.annotations["policy.mcp-stack.dev/ignore-min-replicas"]).toBeTruthy();
      const own = on.find("NetworkPolicy", name);
      expect(own.spec.egress).toEqual([
        { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": store, "app.kubernetes.io/instance": "mcp-stack" } } }], ports: [{ protocol: "TCP", port }] },
      ]);
      expect(own.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ "kubernetes.io/metadata.name": eks.monitoring.prometheusNamespace });
      const side = on.find("NetworkPolicy", `${store}-from-${name}`);
      expect(side.spec.podSelector.matchLabels["app.kubernetes.io/name"]).toBe(store);
      expect(side.spec.ingress[0].from[0].podSelector.matchLabels["app.kubernetes.io/name"]).toBe(name);
      expect(side.spec.ingress[0].ports).toEqual([{ protocol: "TCP", port }]);
    });
  }
  it("the gateway admits Prometheus on its container port, from the configured namespace and pods only", () => {
    const np = on.find("NetworkPolicy", "mcp-gateway-from-prometheus");
    const gw = on.find("Deployment", "mcp-gateway");
    expect(matches(np.spec.podSelector.matchLabels, podLabelsOf(gw))).toBe(true);
    expect(np.spec.policyTypes).toEqual(["Ingress"]);
    expect(np.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
            podSelector: { matchLabels: eks.monitoring.prometheusPodLabels },
          },
        ],
        ports: [{ protocol: "TCP", port: 4444 }],
      },
    ]);
  });
  it("every monitoring workload is selected by a NetworkPolicy", () => {
    const policies = on.all.filter((o) => o.kind === "NetworkPolicy");
    for (const d of on.of("monitoring").filter((o) => o.kind === "Deployment")) {
      expect(policies.some((p) => p.spec.podSelector.matchLabels && matches(p.spec.podSelector.matchLabels, podLabelsOf(d)))).toBe(true);
    }
  });
});

describe("PrometheusRule", () => {
  const rule = on.find("PrometheusRule", "mcp-stack");
  const rules: Any[] = rule.spec.groups.flatMap((g: Any) => g.rules);
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const anchors = new Set([...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) => githubAnchor(m[1]!)));

  it("carries the alerts that matter for this stack", () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        "MCPGatewayReplicasUnavailable",
        "MCPGatewayReadinessFailing",
        "MCPGatewayHighErrorRate",
        "PostgresDown",
        "RedisDown",
        "MCPMigrationJobFailed",
        "DataVolumeNearlyFull",
      ]),
    );
    expect(rule.metadata.labels).toMatchObject(eks.monitoring.labels);
  });
  it("every alert has a severity, a summary, a description and a runbook section in the README", () => {
    for (const r of rules) {
      expect(r.labels.severity).toMatch(/^(critical|warning)$/);
      expect(r.annotations.summary.length).toBeGreaterThan(10);
      expect(r.annotations.description.length).toBeGreaterThan(20);
      const [base, anchor] = r.annotations.runbook_url.split("#");
      expect(base).toBe(eks.monitoring.runbookBaseUrl);
      expect(anchor).toBe(r.alert.toLowerCase());
      expect(anchors.has(anchor), `README has no heading for #${anchor}`).toBe(true);
      expect(r.for).toMatch(/^\d+[smh]$/);
    }
  });
  it("scopes every expression to the stack's namespace and takes thresholds from settings", () => {
    for (const r of rules) expect(r.expr).toContain(`namespace="${eks.namespace}"`);
    const errors = rules.find((r) => r.alert === "MCPGatewayHighErrorRate")!;
    expect(errors.expr).toContain('status=~"5.."');
    expect(errors.expr).toMatch(/> 0\.05$/);
    const s = settingsFrom("monitoring: { enabled: true, errorRatePercent: 2, volumeFreePercent: 10 }\n");
    const other: Any[] = render(s).find("PrometheusRule", "mcp-stack").spec.groups[0].rules;
    expect(other.find((r) => r.alert === "MCPGatewayHighErrorRate")!.expr).toMatch(/> 0\.02$/);
    expect(other.find((r) => r.alert === "DataVolumeNearlyFull")!.expr).toMatch(/< 0\.1$/);
  });
  it("watches the data volumes and the migration Jobs by their real names", () => {
    expect(rules.find((r) => r.alert === "DataVolumeNearlyFull")!.expr).toContain('persistentvolumeclaim=~"postgres-data|redis-data|postgres-backups"');
    expect(rules.find((r) => r.alert === "MCPMigrationJobFailed")!.expr).toContain('job_name=~"mcp-migration-.+"');
    const job = on.all.find((o) => o.kind === "Job" && o.metadata.name.startsWith("mcp-migration-"));
    expect(job).toBeDefined();
  });
});

describe("Grafana dashboard", () => {
  const cm = on.find("ConfigMap", "mcp-stack-grafana-dashboard");
  const json = JSON.parse(cm.data[DASHBOARD_FILE]);
  it("carries the label the Grafana sidecar watches and the folder annotation", () => {
    expect(cm.metadata.labels).toMatchObject({ grafana_dashboard: "1" });
    expect(cm.metadata.annotations).toMatchObject({ grafana_folder: eks.monitoring.grafanaFolder });
  });
  it("has the required panels, each with queries on a templated Prometheus data source", () => {
    expect(json.uid).toBe("mcp-stack-overview");
    expect(json.panels.map((p: Any) => p.title)).toEqual([...DASHBOARD_PANELS]);
    for (const title of ["request rate", "5xx", "latency", "pods", "PostgreSQL up", "Redis up"]) {
      expect(json.panels.some((p: Any) => p.title.includes(title)), title).toBe(true);
    }
    for (const p of json.panels) {
      expect(p.targets.length).toBeGreaterThan(0);
      expect(p.datasource.uid).toBe("${datasource}");
      for (const t of p.targets) expect(t.expr).toContain(`namespace="${eks.namespace}"`);
    }
    expect(new Set(json.panels.map((p: Any) => p.id)).size).toBe(json.panels.length);
  });
});
