// Facts derived from settings that more than one part of the project needs (the model renders them, settings
// loading checks them, notes, the cluster commands and Argo CD delivery read them), written once: nothing else
// re-derives them. Nothing here imports the model (only its naming constant): data flows settings -> model.
import type { Settings } from "./schema.ts";

/** app.kubernetes.io/part-of of every object, and the prefix of the Argo CD names. */
export const PART_OF = "mcp-stack";

/** Whether browsers reach the gateway over HTTPS (the Ingress terminates TLS). */
export const servedOverTls = (s: Settings): boolean => s.ingress.enabled && s.ingress.tls.enabled;

/** Every host name the routes answer on: ingress.host (the gateway's URL) first, then ingress.additionalHosts. */
export const routeHosts = (s: Settings): string[] => [...new Set([s.ingress.host, ...s.ingress.additionalHosts])];

export const isWildcardHost = (host: string): boolean => host.startsWith("*.");

/** The URL browsers and clients use for a host. */
export const hostUrl = (s: Settings, host: string): string => `${servedOverTls(s) ? "https" : "http"}://${host}`;

/**
 * The origins the gateway trusts: one per exact host (the gateway compares origins exactly: admin.py:1774-1792,
 * routers/sso.py:221-245, middleware/csrf_middleware.py:214-222 at v1.0.8, so a *.wildcard cannot be one).
 */
export const originUrls = (s: Settings): string[] => routeHosts(s).filter((h) => !isWildcardHost(h)).map((h) => hostUrl(s, h));

type ListenerSetting = Settings["ingress"]["gatewayApi"]["listeners"][number];

/** What a listener of ingress.gatewayApi.listeners carries: its `routes`, else serve on HTTPS, and on HTTP redirect when an HTTPS listener exists. */
export const listenerRoutes = (l: ListenerSetting, all: readonly ListenerSetting[]): "serve" | "redirect" | "none" =>
  l.routes ?? (l.protocol === "HTTPS" || !all.some((x) => x.protocol === "HTTPS") ? "serve" : "redirect");

/**
 * The gateway's ENVIRONMENT. mcpgateway/utils/security_cookies.py:86 (v1.0.8) sets `Secure` on the auth cookie when
 * `environment == "production"` whatever SECURE_COOKIES says, and browsers drop Secure cookies on plain http: so an
 * environment served over http runs as "development" (which also honours ALLOWED_ORIGINS, middleware/security_headers.py:476).
 */
export const gatewayEnvironment = (s: Settings): string => (servedOverTls(s) ? "production" : "development");

/**
 * Connection pool defaults per gunicorn worker: each worker has its own SQLAlchemy QueuePool of DB_POOL_SIZE plus
 * DB_MAX_OVERFLOW connections (mcpgateway/db.py:189-196, 224-228; the app default is 200 + 10, config.py:2830-2831).
 */
export const DB_POOL_DEFAULTS = { GUNICORN_WORKERS: "2", DB_POOL_SIZE: "5", DB_MAX_OVERFLOW: "5" } as const;

export interface ConnectionBudget {
  workers: number;
  poolSize: number;
  maxOverflow: number;
  /** Gateway pods at most: the HPA's maximum (or the fixed replicas) plus one surge pod of a rolling update. */
  pods: number;
  /** Per pod: every worker's pool full, plus the schema-at-head check (NullPool, one connection). */
  perPod: number;
  /** Other clients by name. */
  others: Record<string, number>;
  total: number;
  /** What PostgreSQL is started with: postgres.maxConnections, or the total. */
  maxConnections: number;
}

const integer = (value: string | undefined): number | undefined => (value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : undefined);

/**
 * The most connections the stack can open at once, from the same settings that size the pools. PostgreSQL's
 * max_connections is rendered from it, so the server never refuses a connection the pools are allowed to open.
 * Values that are not integers are left to settings loading to report (connectionBudgetProblems).
 */
export function connectionBudget(s: Settings): ConnectionBudget {
  const c = { ...DB_POOL_DEFAULTS, ...s.gateway.config };
  const workers = integer(c.GUNICORN_WORKERS) ?? Number(DB_POOL_DEFAULTS.GUNICORN_WORKERS);
  const poolSize = integer(c.DB_POOL_SIZE) ?? Number(DB_POOL_DEFAULTS.DB_POOL_SIZE);
  const maxOverflow = integer(c.DB_MAX_OVERFLOW) ?? Number(DB_POOL_DEFAULTS.DB_MAX_OVERFLOW);
  const pods = (s.gateway.hpa.enabled ? s.gateway.hpa.maxReplicas : s.gateway.replicas) + 1;
  // Without a migration Job each pod migrates at start through bootstrap_db's own engine (bootstrap_db.py:844).
  const perPod = workers * (poolSize + maxOverflow) + 1 + (s.migration.enabled ? 0 : 2);
  const others: Record<string, number> = {
    ...(s.migration.enabled ? { "migration Job (advisory lock + alembic)": 2 } : {}),
    ...(s.monitoring.enabled ? { "postgres-exporter": 1 } : {}),
    ...(s.backup.enabled ? { "backup and restore Jobs": 2 } : {}),
    ...(s.adminUIs.pgadmin ? { pgAdmin: 5 } : {}),
    "maintenance (psql, Velero hook)": 3,
  };
  const total = pods * perPod + Object.values(others).reduce((a, b) => a + b, 0);
  return { workers, poolSize, maxOverflow, pods, perPod, others, total, maxConnections: s.postgres.maxConnections ?? total };
}

/** Settings problems of the connection budget: non-integer pool settings, or more connections than the server takes. */
export function connectionBudgetProblems(s: Settings): { path: string; message: string; expected?: string }[] {
  const out: { path: string; message: string; expected?: string }[] = [];
  for (const key of Object.keys(DB_POOL_DEFAULTS)) {
    const value = s.gateway.config[key];
    if (value !== undefined && integer(value) === undefined) {
      out.push({ path: `gateway.config.${key}`, message: `${JSON.stringify(value)} is not a whole number`, expected: "an integer such as \"5\" (it sizes the PostgreSQL connection budget)" });
    }
  }
  if (out.length) return out;
  const b = connectionBudget(s);
  if (s.postgres.maxConnections !== undefined && b.total > s.postgres.maxConnections) {
    const others = Object.values(b.others).reduce((a, x) => a + x, 0);
    out.push({
      path: "postgres.maxConnections",
      message:
        `${b.pods} gateway pods (${s.gateway.hpa.enabled ? "HPA maximum" : "replicas"} + 1 during a rollout) × ` +
        `(${b.workers} GUNICORN_WORKERS × (DB_POOL_SIZE ${b.poolSize} + DB_MAX_OVERFLOW ${b.maxOverflow}) + 1) + ${others} other clients = ` +
        `${b.total} connections, above max_connections ${s.postgres.maxConnections}`,
      expected: `postgres.maxConnections >= ${b.total} (or unset: derived), or smaller pools / fewer replicas`,
    });
  }
  return out;
}

/**
 * The gateway's SSRF allowlist for private destinations (SSRF_ALLOWED_NETWORKS, a JSON list: config.py:725-728 has no
 * CSV fallback for it). With SSRF_ALLOW_PRIVATE_NETWORKS=false the gateway rejects every private address not listed
 * (common/validators.py:1541-1555), and an in-cluster MCP URL resolves to a Service address: so the Service CIDRs
 * join when the stack runs an in-cluster MCP server (fast-time), and so do gateway.egressCidrs, the private servers
 * the NetworkPolicy lets the gateway reach. Public addresses are never checked against it.
 */
export function ssrfAllowedNetworks(s: Settings): string[] {
  return [...new Set([...(s.fastTime.enabled ? s.network.serviceCidrs : []), ...s.gateway.egressCidrs])];
}

/** The post-sync Job that registers the fast-time server with the gateway runs. */
export const registersFastTime = (s: Settings): boolean => s.postSyncTests.registerFastTime && s.fastTime.enabled;

/** Any post-sync Job runs (the gateway's NetworkPolicy then admits them). */
export const postSyncRuns = (s: Settings): boolean => s.postSyncTests.enabled || registersFastTime(s);

/** Where the Argo CD objects live. */
export const ARGOCD_NAMESPACE = "argocd";
/** Label on each Application naming its environment. */
export const ENV_LABEL = "mcp-stack.dev/environment";
/** The Argo CD Application that delivers overlays/<env>. */
export const applicationName = (env: string, cluster?: string): string => `${PART_OF}-${env}${cluster ? `-${cluster}` : ""}`;
export const CLUSTER_LABEL = "mcp-stack.dev/cluster";
/** RollingSync steps select a fleet's generated Applications by this label. */
export const STAGE_LABEL = "mcp-stack.dev/stage";
/** A fleet's cluster overlay (generated from settings.clusters). */
export const clusterPath = (env: string, cluster: string): string => `clusters/${env}/${cluster}`;

/** The Application delivering an environment, when Argo CD delivers it (settings.argocd.enabled). */
export function argoCdDelivery(env: string | undefined, s: Settings): { application: string; namespace: string } | undefined {
  return env && s.argocd.enabled ? { application: applicationName(env), namespace: ARGOCD_NAMESPACE } : undefined;
}
