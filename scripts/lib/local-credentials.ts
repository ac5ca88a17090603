// Local credentials for environments with settings.credentials.source = local (dev, minikube):
// generated once into overlays/<env>/credentials/<secret>.env (git-ignored), never overwritten.
import type { Settings } from "../settings/schema.ts";
import { generateSecretValues, requiredSecrets, SECRETS } from "../stack/credentials.ts";
import { InputError } from "./cli.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

export function credentialsDir(root: string, env: string): string {
  return path.join(root, "overlays", env, "credentials");
}

/** What each local credential protects: said when a key is missing or malformed, and before a rotation. */
export const KEY_PROTECTS: Record<string, string> = {
  JWT_SECRET_KEY: "signs every token and session the gateway issued (a new key logs everyone out and invalidates API tokens and the metrics token)",
  AUTH_ENCRYPTION_SECRET: "encrypts the credentials the gateway stores in its database (gateway and tool auth headers, OAuth tokens): with a new value that data can no longer be decrypted",
  PLATFORM_ADMIN_PASSWORD: "the platform admin's login, stored in the database at first start (a new value here does not change it there)",
  BASIC_AUTH_USER: "the user of the gateway's basic authentication",
  BASIC_AUTH_PASSWORD: "the password of the gateway's basic authentication (clients using it must be updated)",
  POSTGRES_USER: "the PostgreSQL user, created when the data directory was initialised (a new value does not exist in the database)",
  POSTGRES_PASSWORD: "the PostgreSQL password, set when the data directory was initialised: with a new value the gateway and the migration Job cannot connect to the existing database",
  REDIS_PASSWORD: "Redis' requirepass (the gateway, exporters and Redis Commander connect with it)",
  PGADMIN_DEFAULT_EMAIL: "the PgAdmin login, stored in PgAdmin's data at first start",
  PGADMIN_DEFAULT_PASSWORD: "the PgAdmin password, stored in PgAdmin's data at first start",
  token: "the bearer token Prometheus scrapes the gateway with (re-minted from JWT_SECRET_KEY)",
};

/** Keys that are re-derived when missing (nothing is lost): the metrics token is minted from JWT_SECRET_KEY. */
const DERIVED_KEYS = new Set(["token"]);

const shown = (root: string, file: string) => path.relative(root, file).split(path.sep).join("/");

/** KEY=value lines; anything else (or an empty value) stops with the file, line and key named. */
function readEnvFile(root: string, file: string, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  fs.readFileSync(file, "utf8").split("\n").forEach((line, i) => {
    if (!line.trim() || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    if (eq < 1) throw new InputError(`line ${i + 1} is not a KEY=value line`, { file: shown(root, file), expected: `KEY=value lines for ${keys.join(", ")}` });
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (value.trim() === "") {
      throw new InputError(`${key} (line ${i + 1}) is empty; it protects ${KEY_PROTECTS[key] ?? "a credential"}`, {
        file: shown(root, file),
        path: key,
        expected: `the value it had (restore it from a backup), or re-create it with --rotate-credentials ${path.basename(file, ".env")}`,
      });
    }
    out[key] = value;
  });
  return out;
}

/** A credentials file to write once everything else has succeeded. */
export interface PendingWrite {
  file: string;
  content: string;
}

/**
 * Values for every required Secret. A missing file is created with fresh values; an existing file is never
 * silently changed: a missing or empty key stops with exit 2 naming the file, the key and what it protects
 * (only re-derivable keys, the metrics token, are filled in). `rotate` names secrets to re-create on purpose.
 * Writes are returned as pending, so the caller writes them only once everything else succeeded (or never:
 * `generate --check` and rendering without credentials use the fresh values as throwaways).
 */
export function ensureLocalCredentials(
  root: string,
  env: string,
  settings: Settings,
  pending: PendingWrite[] = [],
  rotate: ReadonlySet<string> = new Set(),
): Record<string, Record<string, string>> {
  const dir = credentialsDir(root, env);
  const result: Record<string, Record<string, string>> = {};
  for (const spec of requiredSecrets(settings)) {
    const file = path.join(dir, `${spec.name}.env`);
    const keys = Object.keys(spec.keys);
    const rotating = rotate.has(spec.name) || rotate.has(`${env}/${spec.name}`);
    const existing = fs.existsSync(file) && !rotating ? readEnvFile(root, file, keys) : undefined;
    const fresh = generateSecretValues(spec, { settings, generated: result });
    if (existing) {
      const missing = keys.filter((k) => !(k in existing) && !DERIVED_KEYS.has(k));
      if (missing.length) {
        throw new InputError(
          `${missing.join(", ")} missing from an existing credentials file; ${missing.map((k) => `${k} protects ${KEY_PROTECTS[k] ?? "a credential"}`).join("; ")}`,
          {
            file: shown(root, file),
            path: missing[0],
            expected: `the value it had (restore it from a backup); a new value is made only on request: npm run generate -- --rotate-credentials ${spec.name}`,
          },
        );
      }
    }
    const values = Object.fromEntries(keys.map((k) => [k, existing?.[k] ?? fresh[k] ?? ""]));
    if (!existing || keys.some((k) => !(k in existing))) {
      const body = Object.entries({ ...existing, ...values }).map(([k, v]) => `${k}=${v}`).join("\n");
      pending.push({
        file,
        content: `# Local credentials for overlays/${env} (${spec.description}). Git-ignored; generated once, never overwritten.\n${body}\n`,
      });
    }
    result[spec.name] = values;
  }
  return result;
}

/** What re-creating a local secret breaks, one line per key (printed before --rotate-credentials writes). */
export function rotationWarning(name: string): string[] {
  const spec = Object.values(SECRETS).find((s) => s.name === name);
  return spec ? Object.keys(spec.keys).map((k) => `${name}: new ${k}: ${KEY_PROTECTS[k] ?? "a credential"}`) : [];
}

/** Names --rotate-credentials accepts: a secret, or <env>/<secret>. */
export function localSecretNames(): string[] {
  return Object.values(SECRETS).map((s) => s.name);
}

/** Writes the pending files; returns what was written, each file "created" or "completed" (keys added). */
export function writePendingCredentials(pending: PendingWrite[]): { file: string; action: "created" | "completed" }[] {
  return pending.map(({ file, content }) => {
    const action = fs.existsSync(file) ? "completed" : "created";
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, content, { mode: 0o600 });
    return { file, action };
  });
}
