// `npm run schemas`: refreshes the strict schemas shipped in schemas/ (what validate and check read by default)
// from a schema location, for every kind the base, the overlays and the root kustomization render plus the CRDs
// the stack integrates with. Lookup is kubeconform's: locations are tried in order, the first hit wins. A schema
// found at a location templated by Kubernetes version lands in schemas/v<version>-standalone-strict/, one found
// at a version-less (CRD catalogue) location in schemas/crds/<group>/<kind>_<version>.json.
import { EXIT, InputError, parseCli, runMain, type Io, processIo } from "./lib/cli.ts";
import { kustomizeBuild } from "./lib/kustomize.ts";
import { loadEnvironments } from "./lib/overlays.ts";
import { REPO_ROOT, SHARED_SCHEMAS_DIR } from "./lib/paths.ts";
import { compare, writePlan, type Drift } from "./generate/files.ts";
import type { FilePlan } from "./generate/plan.ts";
import { renderOverlays } from "./lib/render.ts";
import { parseManifests } from "./lib/manifest.ts";
import {
  checkKubernetesVersion,
  folderSchemaLocations,
  loadSchemaText,
  parseSchemaLocation,
  renderSchemaPath,
  type SchemaLocation,
} from "./validate/schema-locations.ts";
import { DEFAULT_KUBERNETES_VERSION } from "./validate/engine.ts";
const fs = process.getBuiltinModule("node:fs");
const os = process.getBuiltinModule("node:os");
const path = process.getBuiltinModule("node:path");
const { pathToFileURL } = process.getBuiltinModule("node:url");

/** Where the schemas live inside a repository. */
export const SCHEMAS_FOLDER = "schemas";

export interface Gvk {
  apiVersion: string;
  kind: string;
}

/**
 * CRDs the stack integrates with, shipped even when no overlay renders them today: Argo CD delivers the stack,
 * ESO provides credentials, the Prometheus Operator monitoring; cert-manager, Gateway API and Sealed Secrets are what
 * hand-written extras (extraResources) typically add.
 */
export const INTEGRATION_CRDS: readonly Gvk[] = [
  ...["Application", "AppProject", "ApplicationSet"].map((kind) => ({ apiVersion: "argoproj.io/v1alpha1", kind })),
  ...["ExternalSecret", "SecretStore", "ClusterSecretStore"].map((kind) => ({ apiVersion: "external-secrets.io/v1", kind })),
  ...["ServiceMonitor", "PodMonitor", "PrometheusRule"].map((kind) => ({ apiVersion: "monitoring.coreos.com/v1", kind })),
  ...["Gateway", "GatewayClass", "HTTPRoute", "ReferenceGrant"].map((kind) => ({ apiVersion: "gateway.networking.k8s.io/v1", kind })),
  // ReferenceGrant is served as v1beta1 by every Gateway API release before 1.3 (the standard channel still ships it).
  { apiVersion: "gateway.networking.k8s.io/v1beta1", kind: "ReferenceGrant" },
  ...["Certificate", "Issuer", "ClusterIssuer"].map((kind) => ({ apiVersion: "cert-manager.io/v1", kind })),
  // Sealed Secrets: the other common way to keep credentials in git (validate's default catalogue always had it).
  { apiVersion: "bitnami.com/v1alpha1", kind: "SealedSecret" },
];

/** The versions shipped today: the folders schemas/v<x.y.z>-standalone-strict. */
export function shippedKubernetesVersions(schemasDir: string): string[] {
  if (!fs.existsSync(schemasDir)) return [];
  return fs
    .readdirSync(schemasDir)
    .map((name) => /^v(\d+\.\d+\.\d+)-standalone-strict$/.exec(name)?.[1])
    .filter((v): v is string => Boolean(v))
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
}

const gvkKey = (g: Gvk) => `${g.apiVersion}/${g.kind}`;

/** Every apiVersion/kind in a multi-document YAML stream. */
export function kindsIn(stream: string): Gvk[] {
  return parseManifests(stream)
    .filter((o) => typeof o.apiVersion === "string")
    .map((o) => ({ apiVersion: o.apiVersion, kind: o.kind }));
}

/** The kinds the repository renders: base, every overlay (throwaway local credentials if needed) and the root. */
export async function renderedKinds(root: string = REPO_ROOT): Promise<Gvk[]> {
  const streams = await Promise.all([
    kustomizeBuild(path.join(root, "base")).then((r) => r.yaml),
    ...(await renderOverlays(loadEnvironments(path.join(root, "overlays")), undefined, path.join(root, "overlays"))).map((r) => r.yaml),
    ...(fs.existsSync(path.join(root, "kustomization.yaml")) ? [kustomizeBuild(root).then((r) => r.yaml)] : []),
  ]);
  return uniqueKinds(streams.flatMap(kindsIn));
}

export function uniqueKinds(kinds: readonly Gvk[]): Gvk[] {
  const byKey = new Map(kinds.map((g) => [gvkKey(g), g]));
  return [...byKey.values()].sort((a, b) => gvkKey(a).localeCompare(gvkKey(b)));
}

const isVersioned = (location: SchemaLocation) => location.template.includes("NormalizedKubernetesVersion");

/** The two places a schema may be shipped, relative to the repository root: [Kubernetes layout, CRD catalogue]. */
function destinations(g: Gvk, version: string): [string, string] {
  const [k8s, crds] = folderSchemaLocations(SCHEMAS_FOLDER).map(parseSchemaLocation);
  return [renderSchemaPath(k8s!, g.kind, g.apiVersion, version, true), renderSchemaPath(crds!, g.kind, g.apiVersion, version, true)];
}

export interface SchemasPlan {
  /** Repository-relative file -> minified content. */
  plan: FilePlan;
  /** Schemas no location had, kept from the shipped copy. */
  kept: string[];
  /** Kinds found nowhere and not shipped: the refresh fails. */
  missing: string[];
  /** Download and read problems met on the way (a later location may still have had the schema). */
  problems: string[];
}

export interface SchemasOptions {
  root?: string;
  locations?: string[];
  kubernetesVersions?: string[];
  /** The kinds to ship (default: what the repository renders plus INTEGRATION_CRDS). */
  kinds?: Gvk[];
}

export const DEFAULT_SOURCE_LOCATIONS = folderSchemaLocations(SHARED_SCHEMAS_DIR);

/** Looks every kind up for every version; reads nothing it does not need and writes nothing. */
export async function planSchemas(options: SchemasOptions = {}): Promise<SchemasPlan> {
  const root = path.resolve(options.root ?? REPO_ROOT);
  const shippedDir = path.join(root, SCHEMAS_FOLDER);
  const locations = (options.locations?.length ? options.locations : DEFAULT_SOURCE_LOCATIONS).map(parseSchemaLocation);
  const versions = [...new Set([...(options.kubernetesVersions ?? []), ...shippedKubernetesVersions(shippedDir)])];
  if (!versions.length) versions.push(DEFAULT_KUBERNETES_VERSION);
  versions.forEach(checkKubernetesVersion);
  const kinds = uniqueKinds(options.kinds ?? [...(await renderedKinds(root)), ...INTEGRATION_CRDS]);
  // Downloads go to a throwaway cache: a refresh always reads the source, never an old copy.
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-stack-schemas-"));
  const result: SchemasPlan = { plan: new Map(), kept: [], missing: [], problems: [] };
  try {
    for (const version of versions) {
      for (const g of kinds) {
        let found = false;
        for (const location of locations) {
          const source = renderSchemaPath(location, g.kind, g.apiVersion, version, true);
          const text = await loadSchemaText(source, location.remote, cacheDir);
          if (text.found === "error") {
            result.problems.push(text.message);
            continue;
          }
          if (!text.found) continue;
          const file = destinations(g, version)[isVersioned(location) ? 0 : 1];
          if (!result.plan.has(file)) result.plan.set(file, minify(text.text, source));
          found = true;
          break;
        }
        if (found) continue;
        // Not at any location: keep what is shipped (a source without, say, Gateway API's CRDs must not delete them).
        const shipped = destinations(g, version).find((f) => fs.existsSync(path.join(root, f)));
        if (shipped) {
          if (!result.plan.has(shipped)) {
            result.plan.set(shipped, fs.readFileSync(path.join(root, shipped), "utf8"));
            result.kept.push(shipped);
          }
        } else result.missing.push(`${gvkKey(g)} (Kubernetes ${version})`);
      }
    }
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
  result.kept.sort();
  return result;
}

function minify(text: string, source: string): string {
  try {
    return JSON.stringify(JSON.parse(text)) + "\n";
  } catch (err) {
    throw new InputError(`schema is not JSON: ${(err as Error).message}`, { file: source, expected: "a JSON schema" });
  }
}

/** Every file under schemas/ today (all of them are the command's: the folder is wholly generated). */
function shippedFiles(root: string): string[] {
  const dir = path.join(root, SCHEMAS_FOLDER);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

export interface SchemasResult extends SchemasPlan {
  drift: Drift;
}

/** Plans, then writes (each file to a temporary sibling, then renamed) or compares (check). */
export async function refreshSchemas(options: SchemasOptions & { check?: boolean } = {}): Promise<SchemasResult> {
  const root = path.resolve(options.root ?? REPO_ROOT);
  const planned = await planSchemas(options);
  // No location had any schema (the default ../shared catalogue absent, a wrong folder or URL): kept copies only,
  // so neither a comparison nor a refresh happened; saying "up to date" would be a pass on nothing.
  if (planned.plan.size && planned.kept.length === planned.plan.size) {
    const given = options.locations?.length ? options.locations : [path.relative(process.cwd(), SHARED_SCHEMAS_DIR) || "."];
    const absent = given.filter((l) => !/^https?:|\{\{/.test(l) && l !== "default" && !fs.existsSync(l));
    throw new InputError(
      `no schema location has any of the ${planned.plan.size} schemas: ${given.join(", ")}${absent.length ? ` (${absent.join(", ")}: no such folder)` : ""}; nothing ${options.check ? "compared" : "refreshed"}`,
      { expected: "--schema-location: a folder in kubeconform's layout (the default is ../shared/k8s-schemas beside the repository), or online: --schema-location default" },
    );
  }
  const owned = shippedFiles(root);
  const sorted: FilePlan = new Map([...planned.plan].sort(([a], [b]) => a.localeCompare(b)));
  // Nothing is written when a kind has no schema anywhere: a half-refreshed folder would validate nothing well.
  const drift = options.check || planned.missing.length ? compare(root, sorted, owned) : writePlan(root, sorted, owned, new Set(owned));
  if (!options.check && !planned.missing.length) removeEmptyFolders(path.join(root, SCHEMAS_FOLDER));
  return { ...planned, plan: sorted, drift };
}

function removeEmptyFolders(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const child = path.join(dir, entry.name);
    removeEmptyFolders(child);
    if (!fs.readdirSync(child).length) fs.rmdirSync(child);
  }
}

const USAGE = `Usage: npm run schemas -- [--check] [--schema-location LOC]... [--kubernetes-version X.Y.Z]...

Refreshes schemas/, the strict JSON schemas npm run validate and npm run check read by default, for every
kind the base, the overlays and the root kustomization render, plus the CRDs the stack integrates with
(Argo CD, External Secrets, Prometheus Operator, Gateway API, cert-manager, Sealed Secrets). Files are minified JSON in
kubeconform's layout: schemas/v<version>-standalone-strict/<kind>-<group>-<version>.json and
schemas/crds/<group>/<kind>_<version>.json. Prints what was added, updated and removed.

  --schema-location LOC       where to read schemas; repeatable, first hit wins (kubeconform's semantics:
                              a folder gets the kubernetes-json-schema layout appended, a location ending in
                              .json is a template, http(s) is downloaded). Default: ${path.relative(process.cwd(), SHARED_SCHEMAS_DIR) || "."}
                              and its crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json.
                              Online, for example: --schema-location default --schema-location
                              'https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'
  --kubernetes-version X.Y.Z  also ship this version (repeatable); the versions shipped today are always refreshed
  --check                     write nothing; exit 1 when schemas/ differs from the source
  -h, --help                  this text

A schema no location has is kept from the shipped copy (and said so); a kind with no schema anywhere fails
the refresh and nothing is written.

Exit codes: 0 written / up to date, 1 drift (--check) or a kind without schema, 2 usage, or no location
has any of the schemas (a fresh clone has no ../shared/k8s-schemas: name a source with --schema-location).`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const { values, positionals } = parseCli(
    argv,
    { check: { type: "boolean" }, "schema-location": { type: "string", multiple: true }, "kubernetes-version": { type: "string", multiple: true } },
    USAGE,
  );
  if (positionals.length) throw new InputError(`unexpected argument: ${positionals[0]}`, { expected: "options only (see --help)" });
  const check = Boolean(values.check);
  const result = await refreshSchemas({ check, locations: values["schema-location"], kubernetesVersions: values["kubernetes-version"] });
  io.stdout(formatSchemasResult(result, check));
  if (result.missing.length) return EXIT.findings;
  const total = result.drift.changed.length + result.drift.missing.length + result.drift.stale.length;
  return check && total ? EXIT.findings : EXIT.clean;
}

export function formatSchemasResult(result: SchemasResult, check: boolean): string {
  const { changed, missing, stale } = result.drift;
  const wrote = !check && !result.missing.length;
  const lines = [
    ...missing.map((f) => `${wrote ? "added:  " : "missing:"} ${f}`),
    ...changed.map((f) => `${wrote ? "updated:" : "differs:"} ${f}`),
    ...stale.map((f) => `${wrote ? "removed:" : "stale:  "} ${f}`),
    ...result.kept.map((f) => `kept:    ${f} (at no schema location; the shipped copy stays)`),
    ...result.problems.map((p) => `note: ${p}`),
    ...result.missing.map((k) => `error: no schema for ${k} at any schema location${check ? "" : "; nothing written"}`),
  ];
  const bytes = [...result.plan.values()].reduce((n, c) => n + Buffer.byteLength(c), 0);
  const total = changed.length + missing.length + stale.length;
  const summary = result.missing.length
    ? `${result.missing.length} schema(s) found at no schema location: nothing written`
    : !wrote
    ? total
      ? `${total} schema file(s) out of date: run \`npm run schemas\``
      : `schemas up to date (${result.plan.size} files, ${(bytes / 1e6).toFixed(1)} MB)`
    : `${result.plan.size} schema files (${(bytes / 1e6).toFixed(1)} MB): ${missing.length} added, ${changed.length} updated, ${stale.length} removed`;
  return [...lines, summary].join("\n") + "\n";
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(main);
