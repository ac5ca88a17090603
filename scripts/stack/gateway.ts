// The MCP Context Forge gateway: how it is wired lives here, and only here.
// Facts behind the wiring (see README "How the stack is wired"): the image runs as 10001, binds ${HOST}:${PORT}
// (app default 127.0.0.1 — so HOST=0.0.0.0 is set), needs /tmp writable under a read-only root, reads
// DATABASE_URL/REDIS_URL, refuses weak JWT/encryption secrets, and with a migration Job only checks that the
// schema is at head (MCPGATEWAY_SKIP_MIGRATIONS=true) and exits when it is not (bootstrap_db.py:867-876) — so an
// init container waits for exactly that first (utils/check_schema_at_head.py: exit 0 iff the schema is at head).
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { Settings } from "../settings/schema.ts";
import { DB_POOL_DEFAULTS, gatewayEnvironment, hostUrl, originUrls, servedOverTls, ssrfAllowedNetworks } from "../settings/derived.ts";
import { imageRef, metadata, sortKeys, workloadLabels } from "./meta.ts";
import {
  hardenedContainer,
  hardenedDeployment,
  httpGet,
  literalEnv,
  podDisruptionBudget,
  scratchDirs,
  secretEnv,
  service,
  serviceAccount,
  replicatedSpread,
} from "./shapes.ts";
import { workloadPolicy } from "./network.ts";
import { SECRETS } from "./credentials.ts";
import type { StackObject } from "./types.ts";
import { GATEWAY, POSTGRES, REDIS, gatewayWorkload } from "./workloads.ts";

const SOURCE = "scripts/stack/gateway.ts";
export const GATEWAY_CONFIG = "mcp-gateway-config";

/** The gateway's own URL (APP_DOMAIN): ingress.host's. */
export const externalUrl = (s: Settings): string => hostUrl(s, s.ingress.host);

/** Application settings (ConfigMap); settings.gateway.config is merged over these. */
export function gatewayConfig(s: Settings): Record<string, string> {
  const url = externalUrl(s);
  const others = originUrls(s).filter((o) => o !== url);
  const defaults: Record<string, string> = {
    APP_NAME: "ContextForge",
    // One URL (config.py:1188): the CSRF referer check (middleware/csrf_middleware.py:214-222), the OAuth callback's
    // (routers/oauth_router.py:89-96) and the SSO redirect allowlist (routers/sso.py:221-227) take it as the origin.
    APP_DOMAIN: url,
    // CORS and the Admin UI's same-origin fallback (config.py:1280, main.py:3275, admin.py:1774): every exact host.
    ALLOWED_ORIGINS: JSON.stringify(originUrls(s)),
    // The other hosts' forms pass the CSRF referer check (config.py:406, a JSON list). Cookies need nothing per host:
    // the gateway sets them without a Domain (utils/security_cookies.py:119-127), so each host keeps its own.
    ...(others.length ? { CSRF_TRUSTED_ORIGINS: JSON.stringify(others) } : {}),
    // "production" forces Secure cookies (utils/security_cookies.py:86): only where browsers come over HTTPS.
    ENVIRONMENT: gatewayEnvironment(s),
    GUNICORN_TIMEOUT: "600",
    // Pools sized with PostgreSQL's max_connections from one budget (scripts/settings/derived.ts).
    ...DB_POOL_DEFAULTS,
    DB_POOL_TIMEOUT: "30",
    DB_POOL_RECYCLE: "3600",
    DB_MAX_RETRIES: "30",
    DB_RETRY_INTERVAL_MS: "2000",
    REDIS_MAX_RETRIES: "30",
    REDIS_RETRY_INTERVAL_MS: "2000",
    CACHE_PREFIX: "mcpgw:",
    MCPGATEWAY_UI_ENABLED: "true",
    MCPGATEWAY_ADMIN_API_ENABLED: "true",
    CORS_ENABLED: "true",
    SECURE_COOKIES: String(servedOverTls(s)),
    COOKIE_SAMESITE: "lax",
    AUTH_REQUIRED: "true",
    MCP_CLIENT_AUTH_ENABLED: "true",
    EMAIL_AUTH_ENABLED: "true",
    PLATFORM_ADMIN_EMAIL: "admin@example.com",
    PLATFORM_ADMIN_FULL_NAME: "Platform Administrator",
    JWT_ALGORITHM: "HS256",
    JWT_AUDIENCE: "mcpgateway-api",
    JWT_ISSUER: "mcpgateway",
    TOKEN_EXPIRY: "1440",
    REQUIRE_TOKEN_EXPIRATION: "true",
    // SSRF protection stays on and matches the NetworkPolicy egress (gatewayEgress): public addresses, plus the
    // private networks listed here (config.py:683-728, common/validators.py:1541-1555).
    SSRF_PROTECTION_ENABLED: "true",
    SSRF_ALLOW_PRIVATE_NETWORKS: "false",
    SSRF_ALLOW_LOCALHOST: "false",
    SSRF_ALLOWED_NETWORKS: JSON.stringify(ssrfAllowedNetworks(s)),
    LOG_LEVEL: "INFO",
    LOG_FORMAT: "json",
    ENABLE_METRICS: "true",
    TRANSPORT_TYPE: "all",
    DEV_MODE: "false",
    DEBUG: "false",
    RELOAD: "false",
  };
  return sortKeys({ ...defaults, ...s.gateway.config });
}

/**
 * Database and Redis wiring shared by the gateway and the migration Job. The URLs are composed with
 * $(VAR) expansion from variables declared earlier in the list; generated passwords are alphanumeric,
 * so they need no URL encoding.
 */
export function databaseEnv(s: Settings): IEnvVar[] {
  return [
    ...literalEnv({ POSTGRES_HOST: POSTGRES.name, POSTGRES_PORT: String(POSTGRES.port), POSTGRES_DB: s.postgres.database }),
    secretEnv("POSTGRES_USER", SECRETS.postgres.name),
    secretEnv("POSTGRES_PASSWORD", SECRETS.postgres.name),
    {
      name: "DATABASE_URL",
      value: "postgresql+psycopg://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@$(POSTGRES_HOST):$(POSTGRES_PORT)/$(POSTGRES_DB)",
    },
  ];
}

export function redisEnv(): IEnvVar[] {
  return [
    ...literalEnv({ REDIS_HOST: REDIS.name, REDIS_PORT: String(REDIS.port) }),
    secretEnv("REDIS_PASSWORD", SECRETS.redis.name),
    { name: "REDIS_URL", value: "redis://:$(REDIS_PASSWORD)@$(REDIS_HOST):$(REDIS_PORT)/0" },
  ];
}

/** Env and envFrom every container running the gateway image gets (gateway pods and migration Job). */
export function gatewayEnvFrom() {
  return [{ configMapRef: { name: GATEWAY_CONFIG } }, { secretRef: { name: SECRETS.gateway.name } }];
}

/**
 * Waits until the schema is at head: under plain `kubectl apply` (no sync waves) the gateway container would
 * otherwise exit and crash-loop until the migration Job is done; under a rollback to an older version it waits
 * for the schema that version expects (the old pods keep serving).
 */
const waitForSchema =
  'until python3 -m mcpgateway.utils.check_schema_at_head; do echo "waiting for the migration Job: schema not at head yet"; sleep 5; done; ' +
  'echo "schema at head"';


export function gateway(s: Settings): StackObject[] {
  const w = gatewayWorkload(s);
  const g = s.gateway;
  const tmp = scratchDirs({ tmp: "/tmp" });
  const usesHpa = g.hpa.enabled;
  const env = [
    ...literalEnv({
      HOST: "0.0.0.0",
      PORT: String(GATEWAY.port),
      CACHE_TYPE: "redis",
      MCPGATEWAY_SKIP_MIGRATIONS: String(s.migration.enabled),
    }),
    ...databaseEnv(s),
    ...redisEnv(),
  ];
  const initContainers = s.migration.enabled
    ? [
        hardenedContainer({
          name: "wait-for-schema",
          image: imageRef(g.image),
          pullPolicy: g.image.pullPolicy,
          command: ["/bin/sh", "-c", waitForSchema],
          env,
          envFrom: gatewayEnvFrom(),
          volumeMounts: tmp.mounts,
          resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
        }),
      ]
    : [];
  const container = hardenedContainer({
    name: "gateway",
    image: imageRef(g.image),
    pullPolicy: g.image.pullPolicy,
    ports: [{ name: "http", containerPort: GATEWAY.port, protocol: "TCP" }],
    env,
    envFrom: gatewayEnvFrom(),
    startupProbe: httpGet("/health", "http", { initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 10, failureThreshold: 120 }),
    // A terminating pod keeps serving until the ingress controller / load balancer has taken it out of rotation.
    ...(g.preStopSeconds > 0 ? { lifecycle: { preStop: { exec: { command: ["/bin/sh", "-c", `sleep ${g.preStopSeconds}`] } } } } : {}),
    readinessProbe: httpGet("/ready", "http", { periodSeconds: 15, timeoutSeconds: 10, failureThreshold: 4 }),
    livenessProbe: httpGet("/health", "http", { periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 6 }),
    volumeMounts: tmp.mounts,
    resources: g.resources,
  });

  const spreadConstraints = replicatedSpread(s, w.name);
  const deployment = hardenedDeployment(w, s, {
    uid: GATEWAY.uid,
    // With an HPA the replica count is the HPA's: leaving it out of git stops Argo CD and the HPA fighting.
    replicas: usesHpa ? undefined : g.replicas,
    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    pod: {
      // preStop, then gunicorn's graceful stop of in-flight requests.
      terminationGracePeriodSeconds: g.preStopSeconds + 45,
      ...(initContainers.length ? { initContainers } : {}),
      containers: [container],
      volumes: tmp.volumes,
      ...(spreadConstraints.length ? { topologySpreadConstraints: spreadConstraints } : {}),
    },
  });

  const objects: StackObject[] = [
    {
      object: new ConfigMap({ metadata: metadata(GATEWAY_CONFIG, workloadLabels(w, s), s), data: gatewayConfig(s) }),
      source: SOURCE,
      generator: "env",
    },
    { object: serviceAccount(w, s, g.serviceAccountAnnotations), source: SOURCE },
    { object: deployment, source: SOURCE },
    {
      object: service(w, s, [{ name: "http", port: GATEWAY.servicePort, targetPort: "http" }], {
        annotations: g.serviceAnnotations,
      }),
      source: SOURCE,
    },
    { object: workloadPolicy(w, s), source: SOURCE },
  ];

  if (usesHpa) {
    objects.push({
      object: new HorizontalPodAutoscaler({
        metadata: metadata(w.name, workloadLabels(w, s), s),
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: w.name },
          minReplicas: g.hpa.minReplicas,
          maxReplicas: g.hpa.maxReplicas,
          metrics: [
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: g.hpa.targetCPUUtilizationPercentage } } },
            { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: g.hpa.targetMemoryUtilizationPercentage } } },
          ],
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        },
      }),
      source: SOURCE,
    });
  }
  if (g.pdb.enabled) {
    objects.push({
      object: podDisruptionBudget(w, s, g.pdb.maxUnavailable),
      source: SOURCE,
    });
  }
  return objects;
}

