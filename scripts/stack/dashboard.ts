// The Grafana dashboard of the stack (component monitoring), shipped as a ConfigMap the Grafana sidecar
// picks up by label. Panels: gateway request rate, 5xx errors, latency, pods; PostgreSQL and Redis health.
// Queries use the metrics the ServiceMonitors produce (job = Service name) and kube-state-metrics.
import type { Settings } from "../settings/schema.ts";
import { GATEWAY, POSTGRES_EXPORTER, REDIS_EXPORTER } from "./workloads.ts";

export const DASHBOARD_UID = "mcp-stack-overview";
export const DASHBOARD_FILE = "mcp-stack-overview.json";

interface Panel {
  title: string;
  type: "timeseries" | "stat";
  unit: string;
  targets: { expr: string; legendFormat: string }[];
  description: string;
}

/** Every panel title, in order: tests check the dashboard carries each. */
export const DASHBOARD_PANELS = [
  "Gateway request rate",
  "Gateway 5xx error ratio",
  "Gateway latency (p50 / p95 / p99)",
  "Gateway pods ready",
  "PostgreSQL up",
  "PostgreSQL connections",
  "PostgreSQL database size",
  "Redis up",
  "Redis connected clients",
  "Redis memory used",
] as const;

export function dashboard(s: Settings): Record<string, unknown> {
  const ns = `namespace="${s.namespace}"`;
  const gw = `job="${GATEWAY.name}", ${ns}`;
  const pg = `job="${POSTGRES_EXPORTER.name}", ${ns}`;
  const rd = `job="${REDIS_EXPORTER.name}", ${ns}`;
  const quantile = (q: string) => ({
    expr: `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${gw}}[5m])))`,
    legendFormat: `p${Number(q) * 100}`,
  });
  const panels: Panel[] = [
    {
      title: DASHBOARD_PANELS[0],
      type: "timeseries",
      unit: "reqps",
      description: "Requests per second by status code.",
      targets: [{ expr: `sum by (status) (rate(http_requests_total{${gw}}[5m]))`, legendFormat: "{{status}}" }],
    },
    {
      title: DASHBOARD_PANELS[1],
      type: "timeseries",
      unit: "percentunit",
      description: "Share of responses with a 5xx status (alert MCPGatewayHighErrorRate).",
      targets: [
        {
          expr: `sum(rate(http_requests_total{${gw}, status=~"5.."}[5m])) / clamp_min(sum(rate(http_requests_total{${gw}}[5m])), 1e-9)`,
          legendFormat: "5xx ratio",
        },
      ],
    },
    {
      title: DASHBOARD_PANELS[2],
      type: "timeseries",
      unit: "s",
      description: "Request duration quantiles over every handler.",
      targets: ["0.5", "0.95", "0.99"].map(quantile),
    },
    {
      title: DASHBOARD_PANELS[3],
      type: "timeseries",
      unit: "short",
      description: "Ready gateway pods against the desired replicas (kube-state-metrics).",
      targets: [
        { expr: `kube_deployment_status_replicas_available{deployment="${GATEWAY.name}", ${ns}}`, legendFormat: "available" },
        { expr: `kube_deployment_spec_replicas{deployment="${GATEWAY.name}", ${ns}}`, legendFormat: "desired" },
      ],
    },
    { title: DASHBOARD_PANELS[4], type: "stat", unit: "bool", description: "1 when the exporter reaches PostgreSQL.", targets: [{ expr: `pg_up{${pg}}`, legendFormat: "up" }] },
    {
      title: DASHBOARD_PANELS[5],
      type: "timeseries",
      unit: "short",
      description: "Backends connected per database.",
      targets: [{ expr: `sum by (datname) (pg_stat_database_numbackends{${pg}, datname="${s.postgres.database}"})`, legendFormat: "{{datname}}" }],
    },
    {
      title: DASHBOARD_PANELS[6],
      type: "timeseries",
      unit: "bytes",
      description: "Size of the gateway's database.",
      targets: [{ expr: `pg_database_size_bytes{${pg}, datname="${s.postgres.database}"}`, legendFormat: "{{datname}}" }],
    },
    { title: DASHBOARD_PANELS[7], type: "stat", unit: "bool", description: "1 when the exporter reaches Redis.", targets: [{ expr: `redis_up{${rd}}`, legendFormat: "up" }] },
    {
      title: DASHBOARD_PANELS[8],
      type: "timeseries",
      unit: "short",
      description: "Clients connected to Redis (maxclients is in settings).",
      targets: [{ expr: `redis_connected_clients{${rd}}`, legendFormat: "clients" }],
    },
    {
      title: DASHBOARD_PANELS[9],
      type: "timeseries",
      unit: "bytes",
      description: "Memory Redis uses.",
      targets: [{ expr: `redis_memory_used_bytes{${rd}}`, legendFormat: "used" }],
    },
  ];
  const datasource = { type: "prometheus", uid: "${datasource}" };
  return {
    uid: DASHBOARD_UID,
    title: "MCP stack",
    description: "MCP Gateway stack: gateway traffic, errors and latency; PostgreSQL and Redis health.",
    tags: ["mcp-stack"],
    timezone: "browser",
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    templating: {
      list: [{ name: "datasource", label: "Data source", type: "datasource", query: "prometheus", current: {}, hide: 0 }],
    },
    panels: panels.map((p, i) => ({
      id: i + 1,
      title: p.title,
      description: p.description,
      type: p.type,
      datasource,
      gridPos: { h: 8, w: p.type === "stat" ? 6 : 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      options: {},
      targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), datasource, ...t })),
    })),
  };
}
