// kubeconform's -schema-location semantics (pkg/registry): a location ending in "json" is a Go
// template; anything else gets the kubernetes-json-schema layout appended; http(s) locations are
// fetched once and cached on disk.
import { UsageError } from "./errors.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

export const KUBERNETES_JSON_SCHEMA_LAYOUT =
  "{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json";
const DEFAULT_REMOTE = `https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/${KUBERNETES_JSON_SCHEMA_LAYOUT}`;
export const CRDS_CATALOG_LAYOUT = "{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json";

const TEMPLATE_FIELDS = [
  "NormalizedKubernetesVersion",
  "StrictSuffix",
  "ResourceKind",
  "ResourceAPIVersion",
  "Group",
  "KindSuffix",
] as const;
type TemplateField = (typeof TEMPLATE_FIELDS)[number];
const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;

export function checkKubernetesVersion(version: string): void {
  if (!/^(master|\d+\.\d+\.\d+)$/.test(version)) {
    throw new UsageError(
      `invalid value "${version}" for flag -kubernetes-version: ${version} is not a valid version. ` +
        `Valid values are "master" (default) or full version x.y.z (e.g. "1.27.2")`,
    );
  }
}

export interface SchemaLocation {
  /** The location as given. */
  given: string;
  /** The full template after kubeconform's expansion. */
  template: string;
  remote: boolean;
}

/** Expands and checks each location as kubeconform's registry.New does; bad templates are usage errors. */
export function parseSchemaLocation(given: string): SchemaLocation {
  let template = given;
  if (given === "default") template = DEFAULT_REMOTE;
  else if (!given.endsWith("json")) template = `${given}/${KUBERNETES_JSON_SCHEMA_LAYOUT}`;
  for (const match of template.matchAll(ACTION)) {
    const field = /^\.(\w+)$/.exec(match[1] ?? "")?.[1];
    if (!field || !(TEMPLATE_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(
        `failed initialising schema location registry: template: tpl: cannot evaluate "${match[0]}" in ${given}` +
          ` (known fields: ${TEMPLATE_FIELDS.map((f) => "." + f).join(", ")})`,
      );
    }
  }
  return { given, template, remote: /^https?:\/\//.test(template) };
}

/** The template variables exactly as kubeconform computes them, including the core-group quirk. */
export function templateValues(kind: string, apiVersion: string, k8sVersion: string, strict: boolean): Record<TemplateField, string> {
  const groupParts = apiVersion.split("/");
  const firstSegment = (groupParts[0] ?? "").split(".")[0] ?? "";
  let kindSuffix = "-" + firstSegment.toLowerCase();
  if (groupParts.length > 1) kindSuffix += "-" + (groupParts[1] ?? "").toLowerCase();
  return {
    NormalizedKubernetesVersion: k8sVersion === "master" ? "master" : "v" + k8sVersion,
    StrictSuffix: strict ? "-strict" : "",
    ResourceKind: kind.toLowerCase(),
    ResourceAPIVersion: groupParts[groupParts.length - 1] ?? "",
    Group: groupParts[0] ?? "",
    KindSuffix: kindSuffix,
  };
}

export function renderSchemaPath(location: SchemaLocation, kind: string, apiVersion: string, k8sVersion: string, strict: boolean): string {
  const values = templateValues(kind, apiVersion, k8sVersion, strict);
  return location.template.replace(ACTION, (_m, expr: string) => values[expr.slice(1) as TemplateField]);
}

/**
 * A local location is reachable when the directory before its first template action exists.
 * Remote locations count as reachable: we only find out by asking.
 */
export function isReachable(location: SchemaLocation): boolean {
  if (location.remote) return true;
  const staticPart = location.template.split("{{")[0] ?? "";
  const dir = staticPart.endsWith("/") ? staticPart : path.dirname(staticPart);
  try {
    return fs.statSync(dir || ".").isDirectory();
  } catch {
    return false;
  }
}

export type SchemaText = { found: true; text: string; source: string } | { found: false } | { found: "error"; message: string };

export interface FetchOptions {
  /** kubeconform's -cache folder: <folder>/<sha256 of the URL>, the downloaded bytes as they came. */
  schemaCache?: string | undefined;
  insecureSkipTlsVerify?: boolean;
}

/** Reads a schema: a missing file or a 404 means "try the next location", anything else is an error. */
export async function loadSchemaText(schemaPath: string, remote: boolean, fetchOptions: FetchOptions = {}): Promise<SchemaText> {
  return remote ? fetchCached(schemaPath, fetchOptions) : readLocal(schemaPath);
}

function readLocal(schemaPath: string): SchemaText {
  try {
    return { found: true, text: fs.readFileSync(schemaPath, "utf8"), source: path.resolve(schemaPath) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { found: false };
    return { found: "error", message: `failed to open schema at ${schemaPath}: ${(err as Error).message}` };
  }
}

/** kubeconform's pkg/cache/ondisk.go: the file name is the hex SHA-256 of the URL, no extension. */
export function schemaCachePath(folder: string, url: string): string {
  // node:crypto is loaded here only (a few ms at start-up): runs with local schemas never need it
  return path.join(folder, process.getBuiltinModule("node:crypto").createHash("sha256").update(url).digest("hex"));
}

async function fetchCached(url: string, options: FetchOptions): Promise<SchemaText> {
  const cacheFile = options.schemaCache ? schemaCachePath(options.schemaCache, url) : undefined;
  if (cacheFile) {
    try {
      return { found: true, text: fs.readFileSync(cacheFile, "utf8"), source: url };
    } catch {
      // not cached yet
    }
  }
  try {
    // Loaded only when a schema is downloaded: undici's proxy agent reads HTTPS_PROXY/HTTP_PROXY/NO_PROXY
    // as Go's http.ProxyFromEnvironment does for kubeconform.
    const { download } = await import("./http.ts");
    const response = await download(url, options.insecureSkipTlsVerify ?? false);
    if (response.status === 404) return { found: false };
    if (response.status !== 200) {
      return { found: "error", message: `error while downloading schema at ${url} - received HTTP status ${response.status}` };
    }
    if (cacheFile) {
      try {
        if (!fs.existsSync(cacheFile)) fs.writeFileSync(cacheFile, response.body);
      } catch (err) {
        return { found: "error", message: `failed to write cache to disk: ${(err as Error).message}` };
      }
    }
    return { found: true, text: response.body, source: url };
  } catch (err) {
    // kubeconform's wording (Go's http client behind go-retryablehttp, which tries three times)
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    return { found: "error", message: `failed downloading schema at ${url}: Get "${url}": GET ${url} giving up after 3 attempt(s): Get "${url}": ${cause}` };
  }
}
