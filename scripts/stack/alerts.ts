// The stack's alerts (component monitoring, PrometheusRule "mcp-stack"). Each has a summary, a
// description and a runbook_url pointing at its section under "Monitoring and alerts" in README.md
// (the anchor is the alert name in lower case). Sources: the ServiceMonitors of this component
// (job = Service name), kube-state-metrics and the kubelet's volume statistics.
import type { Settings } from "../settings/schema.ts";
import { BACKUP, GATEWAY, MIGRATION, POSTGRES, POSTGRES_EXPORTER, REDIS, REDIS_EXPORTER } from "./workloads.ts";


export interface Alert {
  alert: string;
  expr: string;
  for: string;
  severity: "critical" | "warning";
  summary: string;
  description: string;
}

/** GitHub's heading anchor for an alert's runbook section: the heading is the alert name. */
export const runbookAnchor = (alert: string) => alert.toLowerCase();

export function alerts(s: Settings): Alert[] {
  const ns = `namespace="${s.namespace}"`;
  const gw = `job="${GATEWAY.name}", ${ns}`;
  const errorRatio = s.monitoring.errorRatePercent / 100;
  const freeRatio = s.monitoring.volumeFreePercent / 100;
  const claims = [POSTGRES.claim, REDIS.claim, BACKUP.claim].join("|");
  return [
    {
      alert: "MCPGatewayReplicasUnavailable",
      expr: `kube_deployment_status_replicas_unavailable{deployment="${GATEWAY.name}", ${ns}} > 0`,
      for: "10m",
      severity: "warning",
      summary: "Gateway replicas unavailable in {{ $labels.namespace }}",
      description:
        "{{ $value }} replica(s) of Deployment " + GATEWAY.name + " have been unavailable for 10 minutes: a rollout is stuck " +
        "(image, schema gate, resources) or pods cannot be scheduled.",
    },
    {
      alert: "MCPGatewayNoReplicasAvailable",
      expr: `kube_deployment_status_replicas_available{deployment="${GATEWAY.name}", ${ns}} < 1`,
      for: "2m",
      severity: "critical",
      summary: "No gateway replica is available in {{ $labels.namespace }}",
      description: "Deployment " + GATEWAY.name + " has had no available replica for 2 minutes: the gateway is down.",
    },
    {
      alert: "MCPGatewayReadinessFailing",
      expr: `sum by (namespace, pod) (kube_pod_status_ready{condition="false", ${ns}, pod=~"${GATEWAY.name}-[a-z0-9]+-[a-z0-9]+"}) > 0`,
      for: "5m",
      severity: "warning",
      summary: "Gateway pod {{ $labels.pod }} is not ready",
      description:
        "Pod {{ $labels.pod }} has failed its readiness probe (GET /ready, which checks PostgreSQL and Redis) for 5 minutes.",
    },
    {
      alert: "MCPGatewayHighErrorRate",
      expr:
        `sum by (namespace) (rate(http_requests_total{${gw}, status=~"5.."}[5m]))` +
        ` / sum by (namespace) (rate(http_requests_total{${gw}}[5m])) > ${errorRatio}`,
      for: "10m",
      severity: "warning",
      summary: "Gateway 5xx responses above " + s.monitoring.errorRatePercent + "% in {{ $labels.namespace }}",
      description: "{{ $value | humanizePercentage }} of the gateway's responses have been 5xx errors for 10 minutes.",
    },
    {
      alert: "MCPGatewayMetricsDown",
      expr: `up{${gw}} == 0`,
      for: "10m",
      severity: "warning",
      summary: "Prometheus cannot scrape gateway pod {{ $labels.pod }}",
      description:
        "Scraping /metrics/prometheus on {{ $labels.pod }} has failed for 10 minutes; most often the bearer token in " +
        "Secret mcp-gateway-metrics-token is expired or was signed with another JWT_SECRET_KEY (HTTP 401).",
    },
    {
      alert: "PostgresDown",
      expr: `pg_up{job="${POSTGRES_EXPORTER.name}", ${ns}} == 0 or absent(up{job="${POSTGRES_EXPORTER.name}", ${ns}} == 1)`,
      for: "2m",
      severity: "critical",
      summary: "PostgreSQL is down in " + s.namespace,
      description:
        "The PostgreSQL exporter has not reached the database (pg_up 0), or the exporter itself is not scraped, for 2 minutes. " +
        "The gateway's readiness fails with it.",
    },
    {
      alert: "RedisDown",
      expr: `redis_up{job="${REDIS_EXPORTER.name}", ${ns}} == 0 or absent(up{job="${REDIS_EXPORTER.name}", ${ns}} == 1)`,
      for: "2m",
      severity: "critical",
      summary: "Redis is down in " + s.namespace,
      description:
        "The Redis exporter has not reached Redis (redis_up 0), or the exporter itself is not scraped, for 2 minutes. " +
        "Every gateway pod turns unready while Redis is down.",
    },
    {
      alert: "MCPMigrationJobFailed",
      expr: `kube_job_failed{condition="true", ${ns}, job_name=~"${MIGRATION.name}-.+"} == 1`,
      for: "1m",
      severity: "critical",
      summary: "Migration Job {{ $labels.job_name }} failed",
      description:
        "The database migration Job {{ $labels.job_name }} exhausted its retries. New gateway pods wait for the schema " +
        "and never become ready; running pods keep the old version.",
    },
    {
      alert: "PostgresBackupFailed",
      expr: `kube_job_failed{condition="true", ${ns}, job_name=~"${BACKUP.name}-[0-9]+"} == 1`,
      for: "1m",
      severity: "warning",
      summary: "PostgreSQL backup {{ $labels.job_name }} failed",
      description:
        "The pg_dump Job {{ $labels.job_name }} failed; no new dump was written. The alert stays while the failed Job " +
        "exists (backup.ttlSecondsAfterFinished).",
    },
    {
      alert: "DataVolumeNearlyFull",
      expr:
        `kubelet_volume_stats_available_bytes{${ns}, persistentvolumeclaim=~"${claims}"}` +
        ` / kubelet_volume_stats_capacity_bytes{${ns}, persistentvolumeclaim=~"${claims}"} < ${freeRatio}`,
      for: "15m",
      severity: "warning",
      summary: "Volume {{ $labels.persistentvolumeclaim }} is nearly full",
      description:
        "Claim {{ $labels.persistentvolumeclaim }} has {{ $value | humanizePercentage }} free space left (threshold " +
        s.monitoring.volumeFreePercent + "%).",
    },
  ];
}
