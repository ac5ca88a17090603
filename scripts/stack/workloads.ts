// The stack's workloads by identity: object names, ports, UIDs, and the Workload (names and labels) of those the
// edge routes to. Every module names a workload through these, so no component imports another to learn its
// name or port (which closed import circles between the gateway, fast-time, post-sync and routes modules).
import type { Settings } from "../settings/schema.ts";
import type { Workload } from "./meta.ts";

export const GATEWAY = { name: "mcp-gateway", component: "gateway", port: 4444, servicePort: 80, uid: 10001 } as const;
export const METRICS_TOKEN = { name: "mcp-metrics-token", component: "monitoring" } as const;
export const MIGRATION = { name: "mcp-migration", component: "migration" } as const;
export const POSTGRES = { name: "postgres", component: "database", port: 5432, uid: 999, claim: "postgres-data" } as const;
export const REDIS = { name: "redis", component: "cache", port: 6379, uid: 999, claim: "redis-data", config: "redis-config" } as const;
export const FAST_TIME = { name: "fast-time-server", component: "mcp-server", port: 8080, uid: 1001 } as const;
export const POST_SYNC = { name: "mcp-post-sync", component: "post-sync-test" } as const;
export const PGADMIN = { name: "pgadmin", component: "admin-ui", port: 8080, uid: 5050, image: "docker.io/dpage/pgadmin4", tag: "9.8" } as const;
export const REDIS_COMMANDER = {
  name: "redis-commander",
  component: "admin-ui",
  port: 8081,
  uid: 10000,
  image: "ghcr.io/joeferner/redis-commander",
  tag: "0.9.0",
} as const;
export const POSTGRES_EXPORTER = { name: "postgres-exporter", port: 9187, uid: 65534 } as const;
export const REDIS_EXPORTER = { name: "redis-exporter", port: 9121, uid: 59000 } as const;
export const BACKUP = { name: "postgres-backup", claim: "postgres-backups", uid: 999 } as const;
export const RESTORE = { name: "postgres-restore", configMap: "postgres-restore" } as const;

export const gatewayWorkload = (s: Settings): Workload => ({
  name: GATEWAY.name,
  component: GATEWAY.component,
  version: s.gateway.image.tag,
});

export const fastTimeWorkload = (s: Settings): Workload => ({
  name: FAST_TIME.name,
  component: FAST_TIME.component,
  version: s.fastTime.image.tag,
});

/**
 * The workloads the edge routes to: the gateway, and fast-time where the edge can replace its path prefix (Gateway
 * API's URLRewrite ReplacePrefixMatch, or ingress-nginx's regex rewrite; behind other controllers it is reached
 * through the gateway).
 */
export function routedWorkloads(s: Settings): string[] {
  if (!s.ingress.enabled) return [];
  const stripsPrefix = s.ingress.kind === "gateway-api" || s.ingress.controller === "ingress-nginx";
  return [GATEWAY.name, ...(s.fastTime.enabled && stripsPrefix ? [FAST_TIME.name] : [])];
}
