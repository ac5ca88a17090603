// Monitoring (Kustomize Component "monitoring", settings.monitoring): what a Prometheus Operator
// (kube-prometheus-stack) needs to watch the stack. Rendered only where settings say the operator is
// present: the upstream chart renders its ServiceMonitor unconditionally and breaks installs without the CRD.
//  - ServiceMonitor mcp-gateway: /metrics/prometheus requires authentication, so Prometheus sends a bearer
//    JWT from Secret mcp-gateway-metrics-token (credentials.ts; local environments mint it at generate time).
//    The selector matches the gateway Service only (the chart's matched every Service of the release).
//  - the PostgreSQL and Redis exporters (exporters.ts) with their ServiceMonitors;
//  - PrometheusRule mcp-stack (alerts.ts) and the Grafana dashboard ConfigMap (dashboard.ts);
//  - NetworkPolicy mcp-gateway-from-prometheus: the gateway's side of the scrape.
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { Settings } from "../settings/schema.ts";
import { metadata, selectorLabels, stackLabels, workloadLabels, type Workload } from "./meta.ts";
import { admittingPolicy } from "./network.ts";
import { SECRETS } from "./credentials.ts";
import { POSTGRES_EXPORTER, REDIS_EXPORTER, gatewayWorkload } from "./workloads.ts";
import { exporters } from "./exporters.ts";
import { alerts, runbookAnchor } from "./alerts.ts";
import { dashboard, DASHBOARD_FILE } from "./dashboard.ts";
import type { StackObject } from "./types.ts";

const SOURCE = "scripts/stack/monitoring.ts";
export const METRICS_PATH = "/metrics/prometheus";
export const RULE_NAME = "mcp-stack";
export const DASHBOARD_CONFIGMAP = "mcp-stack-grafana-dashboard";

function serviceMonitor(s: Settings, w: Workload, port: string, path: string, withToken: boolean): ServiceMonitor {
  return new ServiceMonitor({
    metadata: metadata(w.name, { ...workloadLabels(w, s), ...s.monitoring.labels }, s),
    spec: {
      selector: { matchLabels: selectorLabels(w) },
      endpoints: [
        {
          port,
          path,
          scheme: "http",
          interval: s.monitoring.scrapeInterval,
          ...(withToken
            ? { authorization: { type: "Bearer", credentials: { name: SECRETS.metricsToken.name, key: "token" } } }
            : {}),
        },
      ],
    },
  });
}

export function monitoring(s: Settings): StackObject[] {
  if (!s.monitoring.enabled) return [];
  const m = s.monitoring;
  const gw = gatewayWorkload(s);
  const exporter = (name: string, tag: string): Workload => ({ name, component: "monitoring", version: tag });
  const labels = { ...stackLabels(s, "monitoring"), ...m.labels };
  const rule = new PrometheusRule({
    metadata: metadata(RULE_NAME, labels, s),
    spec: {
      groups: [
        {
          name: "mcp-stack",
          rules: alerts(s).map((a) => ({
            alert: a.alert,
            expr: a.expr,
            for: a.for,
            labels: { severity: a.severity },
            annotations: { summary: a.summary, description: a.description, runbook_url: `${m.runbookBaseUrl}#${runbookAnchor(a.alert)}` },
          })),
        },
      ],
    },
  });
  const dashboardMap = new ConfigMap({
    metadata: metadata(
      DASHBOARD_CONFIGMAP,
      { ...stackLabels(s, "monitoring"), ...m.grafanaDashboardLabels },
      s,
      m.grafanaFolder ? { grafana_folder: m.grafanaFolder } : {},
    ),
    data: { [DASHBOARD_FILE]: JSON.stringify(dashboard(s), null, 2) + "\n" },
  });
  const objects = [
    serviceMonitor(s, gw, "http", METRICS_PATH, true),
    serviceMonitor(s, exporter(POSTGRES_EXPORTER.name, m.postgresExporter.tag), "metrics", "/metrics", false),
    serviceMonitor(s, exporter(REDIS_EXPORTER.name, m.redisExporter.tag), "metrics", "/metrics", false),
    rule,
    dashboardMap,
    admittingPolicy("@prometheus", gw, s),
  ];
  return [...objects.map((object) => ({ object, source: SOURCE, component: "monitoring" as const })), ...exporters(s)];
}
