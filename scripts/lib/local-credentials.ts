// Local credentials for environments with settings.credentials.source = local (dev, minikube):
// generated once into overlays/<env>/credentials/<secret>.env (git-ignored), never overwritten.
import fs from "node:fs";
import path from "node:path";
import type { Settings } from "../settings/schema.ts";
import { generateSecretValues, requiredSecrets } from "../stack/credentials.ts";
import { InputError } from "./cli.ts";

export function credentialsDir(root: string, env: string): string {
  return path.join(root, "overlays", env, "credentials");
}

function readEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq < 1) throw new InputError("not a KEY=value line", { file, expected: "KEY=value" });
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** A credentials file to write once everything else has succeeded. */
export interface PendingWrite {
  file: string;
  content: string;
}

/**
 * Values for every required Secret: existing files are kept; missing files (or keys) get fresh values,
 * returned as pending writes so the caller writes them only once everything else succeeded (or never:
 * `generate --check` and rendering without credentials use the fresh values as throwaways).
 */
export function ensureLocalCredentials(
  root: string,
  env: string,
  settings: Settings,
  pending: PendingWrite[] = [],
): Record<string, Record<string, string>> {
  const dir = credentialsDir(root, env);
  const result: Record<string, Record<string, string>> = {};
  for (const spec of requiredSecrets(settings)) {
    const file = path.join(dir, `${spec.name}.env`);
    const existing = fs.existsSync(file) ? readEnvFile(file) : {};
    const fresh = generateSecretValues(spec, { settings, generated: result });
    const values = Object.fromEntries(Object.keys(spec.keys).map((k) => [k, existing[k] ?? fresh[k] ?? ""]));
    const missingKey = Object.keys(spec.keys).some((k) => !(k in existing));
    if (missingKey) {
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

/** Writes the pending files; returns what was written, each file "created" or "completed" (keys added). */
export function writePendingCredentials(pending: PendingWrite[]): { file: string; action: "created" | "completed" }[] {
  return pending.map(({ file, content }) => {
    const action = fs.existsSync(file) ? "completed" : "created";
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, content, { mode: 0o600 });
    return { file, action };
  });
}
