// Maps a values file of the mcp-stack Helm chart (0.9.x layout, and the 1.x layout) onto this project's
// settings. Every leaf value read becomes one row: mapped (to which setting), dropped (why), or needing a decision
// (why). Nothing is passed over silently: a value no rule knows is a decision.
//
// Chart layout facts come from IBM/mcp-context-forge charts/mcp-stack at v0.9.0 and v1.0.8:
//   claim names  templates/postgres-pvc.yaml:5 "<fullname>-postgres-pvc", templates/redis-pvc.yaml "<fullname>-redis-pvc"
//   fullname     templates/_helpers.tpl:4-15 (fullnameOverride, else <release>-<nameOverride|mcp-stack>, unless the
//                release name already contains it)
//   PGDATA       templates/deployment-postgres.yaml (v0.9.0:67, v1.0.8:207) /var/lib/postgresql/data/pgdata under
//                the claim mounted at /var/lib/postgresql/data: our layout, so an adopted volume needs no dataPath change
//   storageClassName "" means the cluster default (templates/postgres-pvc.yaml renders the field only when non-empty)

import { chartClaim, chartFullname } from "../lib/helm-chart.ts";
import CHART_DEFAULTS_FILE from "./chart-defaults.json" with { type: "json" };

const CHART_DEFAULTS = CHART_DEFAULTS_FILE as unknown as Record<
  "0.9" | "1.x",
  Record<"config" | "secret", Record<string, unknown>> & { persistence: Record<"postgres" | "redis", boolean> }
>;

export type RowStatus = "mapped" | "dropped" | "decide";
export interface ImportRow {
  /** Dotted path in the values file. */
  value: string;
  status: RowStatus;
  /** The setting it maps to (mapped), or why not. */
  detail: string;
}

export interface ImportOptions {
  release: string;
  /** The release's namespace: adopted claims are namespaced, so the environment must live there. */
  namespace?: string;
}

export interface ImportResult {
  layout: "0.9" | "1.x";
  /** Settings to write (only what differs from this project's defaults or what the values said). */
  settings: Record<string, unknown>;
  rows: ImportRow[];
}

type Leaf = { path: string; value: unknown };
type Out = { set(path: string, value: unknown): void; settings: Record<string, unknown> };

/** A rule answers for the leaves whose path matches; the first matching rule wins. */
interface Rule {
  match: RegExp;
  apply(leaf: Leaf, ctx: Context): Omit<ImportRow, "value">;
}
interface Context {
  layout: ImportResult["layout"];
  out: Out;
  values: Record<string, unknown>;
  options: ImportOptions;
  fullname: string;
}

const CREDENTIAL = /(PASSWORD|SECRET|PRIVATE_KEY|_TOKEN|TOKEN_KEY)$|^JWT_SECRET_KEY$|^AUTH_ENCRYPTION_SECRET$/;
/** Set by the stack itself on the gateway's container (scripts/stack/gateway.ts): a ConfigMap copy would be ignored or conflict. */
const STACK_OWNED_CONFIG = new Set(["HOST", "PORT", "DATABASE_URL", "REDIS_URL", "CACHE_TYPE", "MCPGATEWAY_SKIP_MIGRATIONS"]);

const mapped = (setting: string, note = ""): Omit<ImportRow, "value"> => ({
  status: "mapped",
  detail: note ? `${setting} (${note})` : setting,
});
const dropped = (why: string): Omit<ImportRow, "value"> => ({ status: "dropped", detail: why });
const decide = (why: string): Omit<ImportRow, "value"> => ({ status: "decide", detail: why });

/** `tag` is kept only when it pins something: `latest` and empty tags keep this project's pinned default. */
function imageTag(setting: string): Rule["apply"] {
  return ({ value }, { out }) => {
    const tag = String(value ?? "");
    if (tag === "" || tag === "latest") return dropped(`unpinned tag "${tag}": keeps this project's pinned ${setting}`);
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return decide(`"${tag}" is not an image tag`);
    out.set(setting, tag);
    return mapped(setting);
  };
}

function copy(setting: string, convert: (v: unknown) => unknown = (v) => v): Rule["apply"] {
  return ({ value }, { out }) => {
    out.set(setting, convert(value));
    return mapped(setting);
  };
}

const asString = (v: unknown) => String(v);
const asInt = (v: unknown) => (typeof v === "number" ? v : Number.parseInt(String(v), 10));

function copyQuantity(setting: string): Rule["apply"] {
  return ({ value }, { out }) => {
    out.set(setting, String(value));
    return mapped(setting);
  };
}

/** A component's subtree that this stack does not have: fine while the values leave it off. */
function absentComponent(name: string, enabledPath: string, why: string): Rule {
  const prefix = enabledPath.replace(/\.enabled$/, "");
  return {
    match: new RegExp(`^${prefix.replace(/\./g, "\\.")}(\\.|$)`),
    apply: (_leaf, { values }) =>
      get(values, enabledPath) === true
        ? decide(`${name} is enabled in the values but not part of this stack: ${why}`)
        : dropped(`${name} is off in the values (not part of this stack)`),
  };
}

const persistenceRules = (chartStore: "postgres" | "redis"): Rule[] => {
  const at = (k: string) => new RegExp(`^${chartStore}\\.persistence\\.${k}$`);
  const setting = (k: string) => `${chartStore}.persistence.${k}`;
  return [
    {
      match: at("enabled"),
      apply: ({ value }, { out, fullname }) => {
        out.set(setting("enabled"), value === true);
        if (value !== true) return mapped(setting("enabled"));
        // The chart's claim is adopted: the new workload starts on the old data (no dump and restore).
        out.set(setting("existingClaim"), chartClaim(fullname, chartStore));
        return mapped(setting("enabled"), `adopts the release's claim ${fullname}-${chartStore}-pvc as ${setting("existingClaim")}`);
      },
    },
    {
      match: at("storageClassName"),
      apply: ({ value }, { out }) => {
        if (value === "" || value === null || value === undefined) return mapped(setting("storageClassName"), 'chart "" = cluster default: left unset');
        out.set(setting("storageClassName"), String(value));
        return mapped(setting("storageClassName"));
      },
    },
    { match: at("accessModes"), apply: copy(setting("accessModes")) },
    {
      match: at("useReadWriteOncePod"),
      apply: ({ value }, { out }) => {
        if (value !== true) return dropped("ReadWriteOncePod off: accessModes apply");
        out.set(setting("accessModes"), ["ReadWriteOncePod"]);
        return mapped(setting("accessModes"), "[ReadWriteOncePod]");
      },
    },
    { match: at("size"), apply: copyQuantity(setting("size")) },
    { match: at("annotations"), apply: copy(setting("annotations")) },
    {
      match: at("reclaimPolicy"),
      apply: () => dropped("a claim has no reclaim policy (the chart ignored it too); adopted and rendered claims are never pruned by Argo CD"),
    },
    {
      match: at("volumeName"),
      apply: ({ value }) => (value ? decide("binding to a named PersistentVolume: use persistence.manualVolume or existingClaim") : dropped("empty")),
    },
  ];
};

const resourcesRule = (chart: string, setting: string): Rule => ({
  match: new RegExp(`^${chart.replace(/\./g, "\\.")}\\.resources\\.(requests|limits)\\.(cpu|memory)$`),
  apply: (leaf, { out }) => {
    const [, kind, res] = /\.(requests|limits)\.(cpu|memory)$/.exec(leaf.path)!;
    out.set(`${setting}.resources.${kind}.${res}`, String(leaf.value));
    return mapped(`${setting}.resources.${kind}.${res}`);
  },
});

const imageRules = (chart: string, setting: string): Rule[] => {
  const at = (k: string) => new RegExp(`^${chart.replace(/\./g, "\\.")}\\.image\\.${k}$`);
  return [
    { match: at("repository"), apply: copy(`${setting}.image.repository`, asString) },
    { match: at("tag"), apply: imageTag(`${setting}.image.tag`) },
    { match: at("pullPolicy"), apply: copy(`${setting}.image.pullPolicy`) },
  ];
};

const probesAndService = (chart: string): Rule[] => [
  {
    match: new RegExp(`^${chart.replace(/\./g, "\\.")}\\.probes\\.`),
    apply: () => dropped("probes are derived from the application (startup waits for the schema, readiness /ready, liveness /health)"),
  },
  { match: new RegExp(`^${chart.replace(/\./g, "\\.")}\\.service\\.`), apply: () => dropped("Services are ClusterIP with fixed ports; exposure is the Ingress/route") },
  {
    match: new RegExp(`^${chart.replace(/\./g, "\\.")}\\.(podSecurityContext|containerSecurityContext|securityContext)\\.`),
    apply: () => dropped('pods run under Pod Security "restricted" with the image\'s own UID'),
  },
];

function gatewayConfigRule(): Rule {
  return {
    match: /^mcpContextForge\.(config|secret)\.[^.]+$/,
    apply: ({ path, value }, { out, layout }) => {
      const key = path.split(".").pop()!;
      const inSecret = path.startsWith("mcpContextForge.secret.");
      if (CREDENTIAL.test(key)) {
        return dropped(
          `a credential: never written to settings (committed). ${value === "" || value === undefined ? "" : "Carry the release's value over by copying its Secret (npm run notes -- <env> --migrate-from-helm); "}weak chart defaults are refused`,
        );
      }
      if (STACK_OWNED_CONFIG.has(key)) return dropped(`${key} is set by the stack on the gateway container`);
      if (value === null || typeof value === "object") return decide(`${key}: not a string`);
      const text = String(value);
      // The chart's own default is not a choice the user made: this project's hardened default applies instead
      // (for example DB_POOL_SIZE 200 and ENVIRONMENT=development in the 0.9 chart).
      const chartDefault = CHART_DEFAULTS[layout][inSecret ? "secret" : "config"][key];
      if (chartDefault !== undefined && String(chartDefault) === text) return dropped("the chart's default: this project's default applies");
      if (text.includes("\n")) return decide(`${key}: multi-line values are not supported in gateway.config (one line per value)`);
      out.set(`gateway.config.${key}`, text);
      return mapped(`gateway.config.${key}`, inSecret ? "not a credential: moved from the chart's Secret to the ConfigMap" : "");
    },
  };
}

/** Placement may be given per component in hand-made values; this stack has one for every pod. */
function placement(setting: "nodeSelector" | "tolerations"): Rule {
  return {
    match: new RegExp(`(^|\\.)${setting}$`),
    apply: ({ path, value }, { out }) => {
      const empty = value === null || (Array.isArray(value) ? value.length === 0 : typeof value === "object" && Object.keys(value as object).length === 0);
      if (empty) return dropped("empty");
      const before = out.settings[setting];
      if (before !== undefined && JSON.stringify(before) !== JSON.stringify(value)) {
        return decide(`${path} differs from another component's ${setting}: this stack applies one ${setting} to every pod`);
      }
      out.set(setting, value);
      return mapped(setting, "applies to every pod");
    },
  };
}

const RULES: Rule[] = [
  placement("nodeSelector"),
  placement("tolerations"),
  { match: /^global\.imagePullSecrets$/, apply: copy("imagePullSecrets", (v) => (Array.isArray(v) ? v.map((x) => (typeof x === "string" ? x : (x as { name?: string }).name)) : v)) },
  { match: /^global\.(nameOverride|fullnameOverride)$/, apply: ({ value }) => (value ? mapped("migrateFromHelm.fullname", "names the release's objects") : dropped("empty")) },
  // Gateway
  { match: /^mcpContextForge\.replicaCount$/, apply: copy("gateway.replicas", asInt) },
  { match: /^mcpContextForge\.hpa\.enabled$/, apply: copy("gateway.hpa.enabled") },
  { match: /^mcpContextForge\.hpa\.(minReplicas|maxReplicas|targetCPUUtilizationPercentage|targetMemoryUtilizationPercentage)$/, apply: (l, c) => copy(`gateway.hpa.${l.path.split(".").pop()}`, asInt)(l, c) },
  ...imageRules("mcpContextForge", "gateway"),
  resourcesRule("mcpContextForge", "gateway"),
  ...probesAndService("mcpContextForge"),
  { match: /^mcpContextForge\.service\.annotations$/, apply: copy("gateway.serviceAnnotations") },
  {
    match: /^mcpContextForge\.containerPort$/,
    apply: ({ value }) => (asInt(value) === 4444 ? dropped("4444: the gateway's port here too") : decide(`port ${value}: the stack runs the gateway on 4444`)),
  },
  {
    match: /^mcpContextForge\.metrics\.serviceMonitor\.enabled$/,
    apply: ({ value }, { out }) => {
      out.set("monitoring.enabled", value === true);
      return mapped("monitoring.enabled", value === true ? "needs the Prometheus Operator" : "");
    },
  },
  { match: /^mcpContextForge\.metrics\.customLabels$/, apply: copy("monitoring.labels") },
  { match: /^mcpContextForge\.metrics\./, apply: () => dropped("metrics are always on at /metrics/prometheus; the monitoring component scrapes them") },
  { match: /^mcpContextForge\.ingress\.enabled$/, apply: copy("ingress.enabled") },
  {
    match: /^mcpContextForge\.ingress\.className$/,
    apply: ({ value }, { out }) => {
      out.set("ingress.className", String(value));
      if (value === "alb") {
        out.set("ingress.controller", "aws-load-balancer");
        return mapped("ingress.className", "controller aws-load-balancer");
      }
      if (value === "nginx") {
        out.set("ingress.controller", "ingress-nginx");
        return mapped("ingress.className", "controller ingress-nginx (retired upstream: consider Gateway API)");
      }
      return decide(`class ${value}: choose ingress.controller (its NetworkPolicy peer and annotations)`);
    },
  },
  { match: /^mcpContextForge\.ingress\.host$/, apply: copy("ingress.host", asString) },
  { match: /^mcpContextForge\.ingress\.path$/, apply: copy("ingress.path", asString) },
  { match: /^mcpContextForge\.ingress\.pathType$/, apply: ({ value }) => (value === "Prefix" ? dropped("Prefix, as here") : decide(`pathType ${value}: routes here are Prefix`)) },
  { match: /^mcpContextForge\.ingress\.annotations$/, apply: copy("ingress.annotations") },
  { match: /^mcpContextForge\.ingress\.tls\.enabled$/, apply: copy("ingress.tls.enabled") },
  {
    match: /^mcpContextForge\.ingress\.tls\.secretName$/,
    apply: ({ value }, { out }) => {
      if (!value) return dropped("empty: this project's default mcp-gateway-tls");
      out.set("ingress.tls.secretName", String(value));
      return mapped("ingress.tls.secretName");
    },
  },
  { match: /^mcpContextForge\.env\.postgres\.db$/, apply: copy("postgres.database", asString) },
  { match: /^mcpContextForge\.env\./, apply: () => dropped("connection details are wired by the stack (Service names, secret keys)") },
  gatewayConfigRule(),
  { match: /^mcpContextForge\.envFrom/, apply: () => dropped("the stack mounts its own ConfigMap and Secrets") },
  {
    match: /^mcpContextForge\.(extraEnv|extraEnvFrom)$/,
    apply: ({ value }) => (Array.isArray(value) && value.length ? decide("extra environment: move plain values to gateway.config, secrets to an extraPatches file") : dropped("empty")),
  },
  {
    match: /^mcpContextForge\.pluginConfig\./,
    apply: (_l, { values }) =>
      get(values, "mcpContextForge.pluginConfig.enabled") === true
        ? decide("plugins are enabled: ship the plugin config as an extraResources ConfigMap and PLUGINS_ENABLED in gateway.config")
        : dropped("plugins off"),
  },
  // Migration
  { match: /^migration\.enabled$/, apply: copy("migration.enabled") },
  { match: /^migration\.(backoffLimit|activeDeadlineSeconds|ttlSecondsAfterFinished)$/, apply: (l, c) => copy(`migration.${l.path.split(".").pop()}`, asInt)(l, c) },
  { match: /^migration\.image\./, apply: () => dropped("the migration runs the gateway's own image (one tag for both)") },
  { match: /^migration\.resources\./, apply: () => dropped("the migration Job has fixed, small resources") },
  { match: /^migration\.(command|restartPolicy|hookPhase|hostKey|portKey)/, apply: () => dropped("the migration Job runs db_isready.py then mcpgateway.bootstrap_db as an Argo CD Sync hook") },
  // PostgreSQL
  { match: /^postgres\.enabled$/, apply: ({ value }) => (value === false ? decide("an external PostgreSQL is not supported by this stack") : dropped("on, as here")) },
  ...imageRules("postgres", "postgres"),
  ...persistenceRules("postgres"),
  resourcesRule("postgres", "postgres"),
  ...probesAndService("postgres"),
  { match: /^postgres\.credentials\.database$/, apply: copy("postgres.database", asString) },
  { match: /^postgres\.credentials\.user$/, apply: copy("postgres.user", asString) },
  { match: /^postgres\.credentials\.password$/, apply: () => dropped("a credential: copy the release's Secret (npm run notes -- <env> --migrate-from-helm); never written to settings") },
  {
    match: /^postgres\.existingSecret$/,
    apply: ({ value }) => (value ? decide(`the release reads Secret ${value}: copy its keys into postgres-credentials (runbook step 2)`) : dropped("empty: the chart's own Secret, copied by the runbook")),
  },
  { match: /^postgres\.(terminationGracePeriodSeconds|lifecycle)/, apply: () => dropped("the StatefulSet stops PostgreSQL with pg_ctl fast within 120 s") },
  absentComponent("external PostgreSQL", "postgres.external.enabled", "run PostgreSQL in the stack or keep the chart"),
  absentComponent("the chart's major-version upgrade flow", "postgres.upgrade.enabled", "use the backup component's dump and restore"),
  // Redis
  { match: /^redis\.enabled$/, apply: ({ value }) => (value === false ? decide("an external Redis is not supported by this stack") : dropped("on, as here")) },
  ...imageRules("redis", "redis"),
  ...persistenceRules("redis"),
  resourcesRule("redis", "redis"),
  ...probesAndService("redis"),
  { match: /^redis\.maxclients$/, apply: copy("redis.maxclients", asInt) },
  {
    match: /^redis\.auth\./,
    apply: ({ path, value }) =>
      path === "redis.auth.enabled" && value === false
        ? dropped("Redis always requires a password here")
        : dropped("Redis credentials come from redis-credentials; copy the release's password (runbook) or let the cache start empty"),
  },
  absentComponent("external Redis", "redis.external.enabled", "run Redis in the stack"),
  // Admin UIs
  { match: /^pgadmin\.enabled$/, apply: copy("adminUIs.pgadmin") },
  { match: /^redisCommander\.enabled$/, apply: copy("adminUIs.redisCommander") },
  {
    match: /^(pgadmin|redisCommander)\./,
    apply: ({ path }) =>
      /\.(env\.password|password)/.test(path)
        ? dropped("a credential: generated or supplied by the environment's credential source")
        : dropped("admin UIs run pinned, hardened images with fixed ports, reached with kubectl port-forward"),
  },
  // fast-time
  { match: /^mcpFastTimeServer\.enabled$/, apply: copy("fastTime.enabled") },
  { match: /^mcpFastTimeServer\.replicaCount$/, apply: copy("fastTime.replicas", asInt) },
  ...imageRules("mcpFastTimeServer", "fastTime"),
  resourcesRule("mcpFastTimeServer", "fastTime"),
  ...probesAndService("mcpFastTimeServer"),
  { match: /^mcpFastTimeServer\.ingress\.path$/, apply: copy("fastTime.path", asString) },
  { match: /^mcpFastTimeServer\.ingress\./, apply: () => dropped("fast-time shares the gateway's host, TLS and class") },
  { match: /^mcpFastTimeServer\.(port|command|args)/, apply: () => dropped("the fast-time server runs with the image's own command on 8080") },
  // 1.x: things this stack does differently
  { match: /^serviceAccount\.annotations$/, apply: copy("gateway.serviceAccountAnnotations") },
  { match: /^serviceAccount\./, apply: () => dropped("every workload has its own ServiceAccount without an API token") },
  { match: /^networkPolicies\./, apply: () => dropped("default-deny NetworkPolicies are always rendered, with exactly the flows the stack needs") },
  absentComponent("PgBouncer", "pgbouncer.enabled", "the connection budget sizes max_connections instead"),
  absentComponent("MinIO", "minio.enabled", "the backup component writes to a volume or to S3"),
  absentComponent("the nginx caching proxy", "nginxProxy.enabled", "route to the gateway directly"),
  absentComponent("the OpenShift Route", "route.enabled", "use the Ingress or Gateway API routing"),
  {
    match: /^testing\.fastTime\.register\.enabled$/,
    apply: ({ value }, { out, values }) => {
      if (get(values, "testing.enabled") !== true) return dropped("the chart's testing hooks are off (testing.enabled)");
      out.set("postSyncTests.registerFastTime", value === true);
      return mapped("postSyncTests.registerFastTime");
    },
  },
  {
    match: /^testing\./,
    apply: (_l, { values }) =>
      get(values, "testing.enabled") === true
        ? dropped("the chart's test hooks: this stack runs its own post-sync smoke test (postSyncTests.enabled)")
        : dropped("the chart's testing hooks are off (testing.enabled)"),
  },
  absentComponent("the benchmark stack", "benchmark.enabled", "run benchmarks outside the production namespace"),
  absentComponent("the chart's TLS-terminating nginx", "tls.enabled", "TLS terminates at the Ingress (ingress.tls) or the Gateway listener"),
  absentComponent("the MCP Inspector", "inspector.enabled", "run the inspector locally against a port-forward"),
  {
    match: /^monitoring\./,
    apply: (_l, { values }) =>
      get(values, "monitoring.enabled") === true
        ? decide("the chart's bundled monitoring stack is not rendered: this stack's monitoring component plugs into an existing Prometheus Operator (monitoring.enabled)")
        : dropped("the chart's bundled monitoring stack is off"),
  },
  {
    match: /(^|\.)affinity$/,
    apply: ({ value }) =>
      value && typeof value === "object" && Object.keys(value).length ? decide("affinity: the stack spreads gateway pods itself; node placement is nodeSelector/tolerations") : dropped("empty"),
  },
];

/** Top-level keys only the 1.x layout has. */
const LAYOUT_1X = ["networkPolicies", "pgbouncer", "minio", "nginxProxy", "route", "monitoring", "serviceAccount"];

export function importHelmValues(values: Record<string, unknown>, options: ImportOptions): ImportResult {
  const settings: Record<string, unknown> = {};
  const out: Out = { settings, set: (p, v) => set(settings, p, v) };
  const fullname = chartFullname(options.release, values as Parameters<typeof chartFullname>[1]);
  const layout = LAYOUT_1X.some((k) => k in values) ? "1.x" : "0.9";
  const ctx: Context = { layout, out, values, options, fullname };
  const rows: ImportRow[] = [];
  for (const leaf of leaves(values)) {
    const rule = RULES.find((r) => r.match.test(leaf.path));
    rows.push({ value: leaf.path, ...(rule ? rule.apply(leaf, ctx) : decide("not a value of the chart's 0.9 or 1.x layout")) });
  }
  adoptDefaultClaims(values, settings, rows, fullname, layout);
  postChecks(values, settings, rows);
  if (options.namespace) settings.namespace = options.namespace;
  settings.migrateFromHelm = { release: options.release, fullname, claimsKept: false };
  return { layout, settings, rows };
}

/**
 * A partial values file (like the chart's values-minikube.yaml) leaves persistence to the chart's defaults, so the
 * release still has the claims: adopt them all the same.
 */
function adoptDefaultClaims(values: Record<string, unknown>, settings: Record<string, unknown>, rows: ImportRow[], fullname: string, layout: ImportResult["layout"]): void {
  for (const store of ["postgres", "redis"] as const) {
    if (get(values, `${store}.persistence.enabled`) !== undefined) continue;
    if (CHART_DEFAULTS[layout].persistence[store] !== true) continue;
    set(settings, `${store}.persistence.enabled`, true);
    set(settings, `${store}.persistence.existingClaim`, chartClaim(fullname, store));
    rows.push({
      value: `${store}.persistence.enabled`,
      status: "mapped",
      detail: `${store}.persistence.existingClaim (not in the file: the chart's default true, so the release has claim ${chartClaim(fullname, store)})`,
    });
  }
}

/** Cross-value consequences a single rule cannot see. */
function postChecks(values: Record<string, unknown>, settings: Record<string, unknown>, rows: ImportRow[]): void {
  const tag = get(settings, "postgres.image.tag");
  const adopting = get(settings, "postgres.persistence.existingClaim") !== undefined;
  if (adopting && typeof tag === "string" && !/^17(\.|-|$)/.test(tag)) {
    rows.push({
      value: "postgres.image.tag",
      status: "decide",
      detail: `PostgreSQL ${tag} data cannot be opened by another major version: keep ${tag} here, or dump and restore into 17 (backup component)`,
    });
  }
  const secretBlock = get(values, "mcpContextForge.secret");
  if (secretBlock && typeof secretBlock === "object") {
    for (const key of ["JWT_SECRET_KEY", "AUTH_ENCRYPTION_SECRET"]) {
      if (key in secretBlock) continue;
      rows.push({ value: `mcpContextForge.secret.${key}`, status: "decide", detail: "not in the values: copy it from the release's Secret, or every token and encrypted value is lost" });
    }
  }
}

/** String maps are one value each (annotations, labels, node selectors), not one row per key. */
const MAP_VALUE = /(\.|^)(annotations|nodeSelector|customLabels|labels|podAnnotations|podLabels)$/;

export function leaves(value: unknown, at = ""): Leaf[] {
  const descend = !MAP_VALUE.test(at);
  if (descend && value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, at ? `${at}.${k}` : k));
  }
  return at ? [{ path: at, value }] : [];
}

function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function set(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  // gateway.config keys may hold dots? They do not (environment variable names); other paths are settings paths.
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (next === null || typeof next !== "object" || Array.isArray(next)) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}
