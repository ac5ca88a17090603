// The Secrets the stack reads, by name and key. The base only references them; where their values come
// from is an environment's choice (settings.credentials.source):
//   local           -> generated once into overlays/<env>/credentials/<secret>.env (git-ignored), kustomize secretGenerator
//   existingSecrets -> created beforehand with `kubectl create secret` (commands in README)
//   externalSecrets -> ExternalSecret objects; External Secrets Operator fills them from a secret store
import type { Settings } from "../settings/schema.ts";
import { mintJwt } from "./jwt.ts";
const { randomBytes, randomInt } = process.getBuiltinModule("node:crypto");

export interface SecretSpec {
  name: string;
  description: string;
  /** Key -> how a strong local value is generated (from the settings and the secrets generated before it). */
  keys: Record<string, (ctx: GenerateContext) => string>;
  /** Only needed when this Component is on. */
  component?: "pgadmin" | "monitoring";
  /**
   * Provided by the stack itself outside local environments (a Job mints it in the cluster: metrics-token.ts), so it
   * is neither an ExternalSecret nor a Secret to create beforehand.
   */
  mintedInCluster?: true;
}

export interface GenerateContext {
  settings: Settings;
  /** Values of the secrets generated (or read) before this one, by Secret name. */
  generated: Record<string, Record<string, string>>;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** URL-safe (alphanumeric) random string: safe inside DATABASE_URL/REDIS_URL without encoding. */
export function randomAlnum(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

/** 48 random bytes, base64url: 64 characters, entropy far above the gateway's 3.5 bits/char floor. */
const strongKey = () => randomBytes(48).toString("base64url");
/** A password that also meets the gateway's password policy (upper, lower, digit, special). */
const adminPassword = () => `${randomAlnum(24)}-Aa1!`;

export const SECRETS = {
  gateway: {
    name: "mcp-gateway-credentials",
    description: "JWT signing key, encryption secret, platform admin and basic-auth passwords",
    keys: {
      JWT_SECRET_KEY: strongKey,
      AUTH_ENCRYPTION_SECRET: strongKey,
      PLATFORM_ADMIN_PASSWORD: adminPassword,
      BASIC_AUTH_USER: () => "admin",
      BASIC_AUTH_PASSWORD: adminPassword,
    },
  },
  postgres: {
    name: "postgres-credentials",
    description: "PostgreSQL superuser the gateway connects as",
    keys: { POSTGRES_USER: ({ settings }) => settings.postgres.user, POSTGRES_PASSWORD: () => randomAlnum(32) },
  },
  redis: {
    name: "redis-credentials",
    description: "Redis requirepass",
    keys: { REDIS_PASSWORD: () => randomAlnum(32) },
  },
  pgadmin: {
    name: "pgadmin-credentials",
    description: "PgAdmin login",
    keys: { PGADMIN_DEFAULT_EMAIL: () => "admin@example.com", PGADMIN_DEFAULT_PASSWORD: adminPassword },
    component: "pgadmin",
  },
  metricsToken: {
    name: "mcp-gateway-metrics-token",
    description: "Bearer JWT Prometheus scrapes the gateway's /metrics/prometheus with",
    keys: { token: (ctx: GenerateContext) => localMetricsToken(ctx) },
    component: "monitoring",
    mintedInCluster: true,
  },
} as const satisfies Record<string, SecretSpec>;

/** Whether an environment switches on the Component a secret belongs to. */
const COMPONENT_ON: Record<NonNullable<SecretSpec["component"]>, (s: Settings) => boolean> = {
  pgadmin: (s) => s.adminUIs.pgadmin,
  monitoring: (s) => s.monitoring.enabled,
};

/** A year, after which a local environment's token is minted again by deleting it from the credentials file. */
const LOCAL_TOKEN_DAYS = 365;

/**
 * A JWT the local gateway accepts: HS256 with its JWT_SECRET_KEY, the platform admin as subject, and the
 * audience and issuer of its configuration. Other environments mint theirs in the cluster with the gateway's own
 * tool (metrics-token.ts), from the JWT_SECRET_KEY they already hold.
 */
function localMetricsToken({ settings, generated }: GenerateContext): string {
  const key = generated[SECRETS.gateway.name]?.JWT_SECRET_KEY;
  if (!key) throw new Error(`${SECRETS.gateway.name} must be generated before the metrics token`);
  const config = settings.gateway.config;
  const now = Math.floor(Date.now() / 1000);
  return mintJwt(key, {
    sub: config.PLATFORM_ADMIN_EMAIL ?? "admin@example.com",
    aud: config.JWT_AUDIENCE ?? "mcpgateway-api",
    iss: config.JWT_ISSUER ?? "mcpgateway",
    iat: now,
    exp: now + LOCAL_TOKEN_DAYS * 86400,
    jti: randomBytes(16).toString("hex"),
  });
}

/** Secrets an environment provides (locally, from a secret store, or beforehand), given which Components it switches on. */
export function requiredSecrets(settings: Settings): SecretSpec[] {
  return Object.values(SECRETS).filter(
    (s: SecretSpec) =>
      (!s.component || COMPONENT_ON[s.component](settings)) && !(s.mintedInCluster && settings.credentials.source !== "local"),
  );
}

/** Whether the metrics token is minted in the cluster by a Job (every environment with monitoring but local ones). */
export const metricsTokenMintedInCluster = (settings: Settings): boolean =>
  settings.monitoring.enabled && settings.credentials.source !== "local";

export function generateSecretValues(spec: SecretSpec, ctx: GenerateContext): Record<string, string> {
  return Object.fromEntries(Object.entries(spec.keys).map(([k, make]) => [k, make(ctx)]));
}
