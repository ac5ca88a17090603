// Reads and validates overlays/<env>/settings.yaml. Every problem is reported with the file, the key path
// and what was expected, all at once; defaults come from the schema (ajv useDefaults).
import type { ErrorObject, ValidateFunction } from "ajv";
import { LineCounter, parseAllDocuments, parseDocument, isMap, isPair, isScalar, isSeq, visit, type Node } from "yaml";
import { InputError } from "../lib/cli.ts";
import { requireWithCodeCache } from "@mcp-stack/validate/code-cache";
import { CACHE_DIR, REPO_ROOT, relativeToRepo } from "../lib/paths.ts";
import { DATA_PLANE_NOT_SELECTABLE, patternMeaning, settingsSchema, type Settings } from "./schema.ts";
import { connectionBudgetProblems, servedOverTls, ssrfAllowedNetworks } from "./derived.ts";
import { fleetProblems } from "./clusters.ts";
import { hostProblems, listenerProblems } from "./hosts.ts";
import { apiServerProblems, brief } from "./api-rules.ts";
import { schemaFingerprint, SETTINGS_AJV_OPTIONS, VALIDATOR_FILE } from "./validator.ts";
const fs = process.getBuiltinModule("node:fs");
const { createRequire } = process.getBuiltinModule("node:module");
const path = process.getBuiltinModule("node:path");

const require = createRequire(import.meta.url);
let compiled: ValidateFunction | undefined;

/**
 * The schema's validator: the generated module (scripts/settings/validator.ts) when it was compiled from this
 * schema, else ajv compiles the schema here, once per process (a stale or missing module is only slower). The module
 * loads with V8's code cache of a run that called it (the validator's first call compiled it again on every run:
 * 30-60 ms of generate --check).
 */
function settingsValidator(): ValidateFunction {
  if (compiled) return compiled;
  try {
    const generated = requireWithCodeCache(path.join(REPO_ROOT, VALIDATOR_FILE), path.join(CACHE_DIR, "code-cache")) as ValidateFunction & { fingerprint?: string };
    if (generated.fingerprint === schemaFingerprint()) return (compiled = generated);
  } catch {
    // missing or unreadable: compiled below
  }
  const { Ajv } = require("ajv") as typeof import("ajv");
  return (compiled = new Ajv(SETTINGS_AJV_OPTIONS).compile(settingsSchema));
}

export class SettingsError extends InputError {
  readonly file: string;
  readonly problems: { path: string; message: string; expected?: string; line?: number }[];
  constructor(file: string, problems: { path: string; message: string; expected?: string; line?: number }[]) {
    super(
      problems
        .map((p) => `${file}${p.line ? `:${p.line}` : ""}: ${p.path || "(top level)"}: ${p.message}${p.expected ? ` (expected ${p.expected})` : ""}`)
        .join("\n"),
    );
    this.file = file;
    this.problems = problems;
  }
  override format(): string {
    return this.message;
  }
}

/** Settings with every default applied: what the base is rendered from. */
export function defaultSettings(): Settings {
  return settingsFromObject({}, "(defaults)");
}

/** Settings files are small; anything larger is refused before it is parsed (bounded time and memory). */
export const MAX_SETTINGS_BYTES = 1024 * 1024;

/** `shown`: the name messages give the file (default: relative to this repository). */
export function loadSettingsFile(file: string, shown: string = relativeToRepo(file)): Settings {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw new SettingsError(shown, [{ path: "", message: "is a directory", expected: "a settings.yaml file" }]);
    if (stat.size > MAX_SETTINGS_BYTES) {
      throw new SettingsError(shown, [
        { path: "", message: `is ${stat.size} bytes; settings files are limited to ${MAX_SETTINGS_BYTES} bytes (1 MiB)`, expected: "a settings file under 1 MiB (large configuration belongs in hand-written extraResources)", line: 1 },
      ]);
    }
    text = decodeUtf8(fs.readFileSync(file), shown);
  } catch (err) {
    if (err instanceof SettingsError) throw err;
    throw new SettingsError(shown, [{ path: "", message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? err}` }]);
  }
  return parseSettings(text, shown);
}

/** The file's text; anything but UTF-8 (Latin-1 bytes, UTF-16) is refused with the line of the first bad byte. */
function decodeUtf8(bytes: Buffer, shown: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new SettingsError(shown, [{ path: "", message: "is UTF-16 text", expected: "a UTF-8 file (save it as UTF-8)", line: 1 }]);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder("utf-8").decode(bytes);
    const at = lenient.indexOf("\uFFFD");
    throw new SettingsError(shown, [{ path: "", message: "is not valid UTF-8 (a byte of another encoding, such as Latin-1)", expected: "a UTF-8 file (save it as UTF-8)", line: lenient.slice(0, Math.max(at, 0)).split("\n").length }]);
  }
}

/** The tags of YAML's core schema: anything else (!!set, !!binary, !!timestamp, !custom) is refused. */
const PLAIN_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

const SETTINGS_EXAMPLE = "key: value pairs such as `namespace: mcp-staging` (see the settings table in README.md)";

/**
 * Settings already read in this process, by text: a run that loads the same files again (the gate, then the generator
 * it loads) parses and validates each once. Valid settings depend only on the text (the schema is code; the file's
 * name is only in messages, and failures are not kept), and every caller gets its own copy.
 */
const readBefore = new Map<string, Settings>();
const READ_BEFORE_LIMIT = 64;

export function parseSettings(text: string, shown: string): Settings {
  const known = readBefore.get(text);
  if (known) return structuredClone(known);
  const settings = parseSettingsText(text, shown);
  if (readBefore.size >= READ_BEFORE_LIMIT) readBefore.delete(readBefore.keys().next().value!);
  readBefore.set(text, structuredClone(settings));
  return settings;
}

function parseSettingsText(text: string, shown: string): Settings {
  if (text.length > MAX_SETTINGS_BYTES) {
    throw new SettingsError(shown, [{ path: "", message: `is ${text.length} characters; settings are limited to 1 MiB`, expected: "a settings file under 1 MiB" }]);
  }
  const nul = text.indexOf("\0");
  if (nul >= 0) {
    throw new SettingsError(shown, [{ path: "", message: "contains a NUL byte: not a text file", expected: "a UTF-8 YAML file", line: text.slice(0, nul).split("\n").length }]);
  }
  const lines = new LineCounter();
  // uniqueKeys is checked below in linear time: the yaml package's own check is quadratic in a map's size.
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const all = Array.isArray(docs) ? docs : [];
  if (all.length > 1) {
    throw new SettingsError(shown, [
      { path: "", message: `holds ${all.length} YAML documents (separated by ---)`, expected: "one document of settings", line: lines.linePos(all[1]!.range[0]).line },
    ]);
  }
  const doc = all[0];
  const errors = doc ? doc.errors : (docs as unknown as { errors?: { message: string; pos: [number, number] }[] }).errors ?? [];
  if (errors.length) {
    throw new SettingsError(
      shown,
      errors.map((e) => ({
        path: "",
        message: /call stack/i.test(e.message) ? "YAML nests too deeply" : `YAML syntax error: ${e.message.split("\n")[0]}`,
        line: lines.linePos(e.pos[0]).line,
      })),
    );
  }
  const contents = doc?.contents ?? null;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    const hasComments = /^\s*#/m.test(text);
    throw new SettingsError(shown, [
      hasComments
        ? { path: "", message: "holds only comments: no settings", expected: `${SETTINGS_EXAMPLE}; write {} to take every default`, line: 1 }
        : { path: "", message: text.trim() === "" ? "is empty" : "holds no settings (null)", expected: `${SETTINGS_EXAMPLE}; write {} to take every default`, line: 1 },
    ]);
  }
  if (isSeq(contents)) {
    throw new SettingsError(shown, [
      { path: "", message: `is a list (${contents.items.length} item${contents.items.length === 1 ? "" : "s"}), not a mapping of settings`, expected: SETTINGS_EXAMPLE, line: lineAt(contents, lines) },
    ]);
  }
  if (!isMap(contents)) {
    throw new SettingsError(shown, [
      { path: "", message: `is a single value (${JSON.stringify(String((contents as { value?: unknown }).value ?? ""))}), not a mapping of settings`, expected: SETTINGS_EXAMPLE, line: lineAt(contents, lines) },
    ]);
  }
  const duplicates = duplicateKeys(contents, lines);
  if (duplicates.length) throw new SettingsError(shown, duplicates);
  // Explicit tags beyond the plain types would turn a value into something settings cannot hold (a set, a date, bytes).
  const tagged: { path: string; message: string; expected: string; line?: number }[] = [];
  visit(doc!, {
    Node: (key, node, ancestors) => {
      const tag = (node as { tag?: string }).tag;
      if (tag && !PLAIN_TAGS.has(tag)) tagged.push({ path: keyPathOf(key, node, ancestors), message: `the YAML tag ${tag} is not supported`, expected: "plain values (quote text instead of tagging it)", line: lineAt(node as Node, lines) });
    },
  });
  if (tagged.length) throw new SettingsError(shown, tagged.slice(0, 5));
  let data: unknown;
  try {
    data = doc!.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    // yaml refuses documents whose aliases expand without bound ("billion laughs"), and aliases of no anchor.
    let line: number | undefined;
    visit(doc!, { Alias: (_, node) => { line ??= lineAt(node, lines); } });
    throw new SettingsError(shown, [{ path: "", message: `YAML rejected: ${(err as Error).message}`, expected: "plain settings (anchors and aliases only for small repeated values)", line }]);
  }
  return settingsFromObject(data, shown, (path) => lineOf(contents, path, lines), (path) => sourceOf(contents, path));
}

/** The dotted key path of a node `visit` reached (pairs give their keys, sequences the item's index). */
function keyPathOf(key: unknown, node: unknown, ancestors: readonly unknown[]): string {
  const out: string[] = [];
  ancestors.forEach((a, i) => {
    if (isPair(a) && isScalar(a.key)) out.push(String(a.key.value));
    else if (isSeq(a)) out.push(String(i + 1 < ancestors.length ? a.items.indexOf(ancestors[i + 1] as never) : key));
  });
  if (isPair(node) && isScalar(node.key)) out.push(String(node.key.value));
  return out.join(".");
}

function lineAt(node: Node, lines: LineCounter): number | undefined {
  return node.range ? lines.linePos(node.range[0]).line : undefined;
}

/** Keys given twice in one mapping, anywhere in the document (one pass, a Set per mapping). */
function duplicateKeys(root: Node, lines: LineCounter): { path: string; message: string; expected: string; line?: number }[] {
  const out: { path: string; message: string; expected: string; line?: number }[] = [];
  const walk = (node: unknown, at: string[]) => {
    if (isMap(node)) {
      const seen = new Map<string, number | undefined>();
      for (const pair of node.items) {
        const line = pair.key && typeof pair.key === "object" && "range" in pair.key ? lineAt(pair.key as Node, lines) : undefined;
        if (!isScalar(pair.key) || pair.key.value === null || typeof pair.key.value === "object") {
          out.push({ path: at.join("."), message: `a key that is ${pair.key === null || (isScalar(pair.key) && pair.key.value === null) ? "empty (null)" : "a list or mapping"}`, expected: "keys that are plain names", line });
          continue;
        }
        const key = String(pair.key.value);
        if (seen.has(key)) {
          out.push({ path: [...at, key].join("."), message: `key given twice (first on line ${seen.get(key)})`, expected: "each key once", line });
        } else seen.set(key, line);
        walk(pair.value, [...at, key]);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...at, String(i)]));
  };
  walk(root, []);
  return out;
}

/** Validates already-parsed settings data (schema, defaults, cross-key and API-server rules), as a file would be. */
export function settingsFromObject(
  data: unknown,
  shown: string,
  line: (path: (string | number)[]) => number | undefined = () => undefined,
  source: (path: (string | number)[]) => string | undefined = () => undefined,
): Settings {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new SettingsError(shown, [{ path: "", message: "settings must be a mapping", expected: "key: value pairs" }]);
  }
  const copy = structuredClone(data) as Record<string, unknown>;
  const validateSettings = settingsValidator();
  if (!validateSettings(copy)) {
    throw new SettingsError(shown, dedupe((validateSettings.errors ?? []).map((e) => describe(e, line, source))));
  }
  const settings = copy as Settings;
  const semantic = [...semanticProblems(settings), ...apiServerProblems(settings)].map((p) => ({ ...p, line: line(p.path.split(".")) }));
  if (semantic.length) throw new SettingsError(shown, semantic);
  return settings;
}

/** Rules JSON Schema cannot express: relations between keys. */
function semanticProblems(s: Settings): { path: string; message: string; expected?: string }[] {
  const out: { path: string; message: string; expected?: string }[] = [];
  const { hpa } = s.gateway;
  if (hpa.minReplicas > hpa.maxReplicas) {
    out.push({
      path: "gateway.hpa.minReplicas",
      message: `${hpa.minReplicas} is above maxReplicas ${hpa.maxReplicas}`,
      expected: "minReplicas <= maxReplicas",
    });
  }
  out.push(...routingProblems(s), ...hostProblems(s), ...listenerProblems(s));
  if (s.ingress.enabled && s.ingress.controller === "ingress-nginx" && s.ingress.controllerHostNetwork && s.ingress.nodeCidrs.length === 0) {
    out.push({
      path: "ingress.nodeCidrs",
      message: "a hostNetwork controller connects from the nodes' addresses, which the gateway's NetworkPolicy must admit",
      expected: "the nodes' CIDRs, e.g. [192.168.10.0/24]",
    });
  }
  if (s.backup.enabled && s.backup.target === "s3" && !s.backup.s3.bucket) {
    out.push({ path: "backup.s3.bucket", message: "missing", expected: "the bucket dumps are written to, for target s3" });
  }
  for (const store of ["postgres", "redis"] as const) {
    const { existingClaim, enabled, manualVolume } = s[store].persistence;
    if (existingClaim !== undefined && !enabled) {
      out.push({ path: `${store}.persistence.enabled`, message: "an adopted claim (existingClaim) needs persistence", expected: "true" });
    }
    if (existingClaim !== undefined && manualVolume) {
      out.push({
        path: `${store}.persistence.manualVolume`,
        message: "an adopted claim is already bound; a manual volume would be rendered for a claim the stack does not own",
        expected: "either existingClaim or manualVolume",
      });
    }
  }
  for (const store of ["postgres", "redis"] as const) {
    const manual = s[store].persistence.manualVolume;
    if (!manual) continue;
    const at = `${store}.persistence.manualVolume`;
    if (!s[store].persistence.enabled) {
      out.push({ path: `${store}.persistence.enabled`, message: "a manual volume needs persistence", expected: "true" });
    }
    if (manual.type === "nfs" && !manual.server) out.push({ path: `${at}.server`, message: "missing", expected: "the NFS server for type nfs" });
    if (manual.type === "local" && !manual.node) out.push({ path: `${at}.node`, message: "missing", expected: "the node name for type local" });
  }
  out.push(...deliveryProblems(s), ...connectionBudgetProblems(s), ...cookieProblems(s), ...fleetProblems(s), ...credentialInConfig(s));
  return out;
}

/** gateway.config keys that hold credentials (the value is never shown): the stack's own, and any password or secret. */
const CREDENTIAL_KEY = /(^|_)(PASSWORD|SECRET|SECRET_KEY|PRIVATE_KEY)$|^(DATABASE_URL|REDIS_URL)$/;
const NOT_A_CREDENTIAL = /^(REQUIRE|DETECT|MIN)_/;

/** gateway.config is a ConfigMap committed to git: a credential there is plaintext for everyone who reads the repository. */
function credentialInConfig(s: Settings): { path: string; message: string; expected?: string }[] {
  return Object.keys(s.gateway.config)
    .filter((k) => CREDENTIAL_KEY.test(k.toUpperCase()) && !NOT_A_CREDENTIAL.test(k.toUpperCase()))
    .map((k) => ({
      path: `gateway.config.${k}`,
      message: "is a credential: gateway.config becomes a ConfigMap committed to git, readable by everyone with the repository (its value is not shown here)",
      expected:
        "the value in a Secret: the stack's own credentials (JWT_SECRET_KEY, AUTH_ENCRYPTION_SECRET, PLATFORM_ADMIN_PASSWORD, BASIC_AUTH_PASSWORD, DATABASE_URL and REDIS_URL are set from credentials.source), or a Secret of yours added with extraResources and an extraPatches env entry",
    }));
}

/** A list setting of the gateway as it parses one: a JSON array (an unparsable value lists nothing). */
function parseList(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** Cookie security follows TLS: a Secure cookie on plain http never comes back (utils/security_cookies.py:86). */
function cookieProblems(s: Settings): { path: string; message: string; expected?: string }[] {
  if (servedOverTls(s)) return [];
  const c = s.gateway.config;
  const out: { path: string; message: string; expected?: string }[] = [];
  if (c.ENVIRONMENT === "production") {
    out.push({
      path: "gateway.config.ENVIRONMENT",
      message: "ENVIRONMENT=production makes the gateway set Secure on its auth cookies, which browsers drop on plain http: the Admin UI login cannot work",
      expected: "development or staging without TLS (or ingress.tls.enabled: true)",
    });
  }
  if (c.SECURE_COOKIES === "true") {
    out.push({
      path: "gateway.config.SECURE_COOKIES",
      message: "Secure cookies are dropped by browsers on plain http: the Admin UI login cannot work",
      expected: '"false" without TLS (or ingress.tls.enabled: true)',
    });
  }
  return out;
}

/** Routing settings whose combination cannot admit the edge through the NetworkPolicies, or name no Gateway. */
function routingProblems(s: Settings): { path: string; message: string; expected?: string }[] {
  const out: { path: string; message: string; expected?: string }[] = [];
  if (!s.ingress.enabled) return out;
  const g = s.ingress.gatewayApi;
  const gatewayApi = s.ingress.kind === "gateway-api";
  const throughAws = gatewayApi ? g.implementation === "aws-load-balancer" : s.ingress.controller === "aws-load-balancer";
  if (throughAws && s.ingress.sourceCidrs.length === 0 && !(gatewayApi && g.dataPlane.namespace)) {
    out.push({
      path: "ingress.sourceCidrs",
      message: "the AWS load balancer's source CIDRs are needed to admit it through the NetworkPolicy",
      expected: "at least one CIDR, e.g. the VPC CIDR",
    });
  }
  if (!gatewayApi) return out;
  const why = DATA_PLANE_NOT_SELECTABLE[g.implementation as keyof typeof DATA_PLANE_NOT_SELECTABLE];
  if (why && !g.dataPlane.namespace) {
    out.push({
      path: "ingress.gatewayApi.dataPlane.namespace",
      message: `missing: ${why}`,
      expected: "the namespace (and podLabels) of the proxy pods that connect to the backends",
    });
  }
  if (g.mode === "create" && g.implementation === "other" && !g.gateway.className) {
    out.push({ path: "ingress.gatewayApi.gateway.className", message: "missing", expected: "the GatewayClass of the Gateway the stack renders" });
  }
  if (g.mode === "create" && (g.gateway.namespace || g.gateway.sectionName)) {
    out.push({
      path: `ingress.gatewayApi.gateway.${g.gateway.namespace ? "namespace" : "sectionName"}`,
      message: "only for mode attach: a rendered Gateway lives in the stack's namespace with listeners http and https",
      expected: "unset, or mode: attach",
    });
  }
  return out;
}

/** Argo CD and post-sync settings that cannot work together with the rest. */
function deliveryProblems(s: Settings): { path: string; message: string; expected?: string }[] {
  const out: { path: string; message: string; expected?: string }[] = [];
  if (s.argocd.enabled && s.credentials.source === "local") {
    out.push({
      path: "argocd.enabled",
      message: "local credentials live in a git-ignored file, so Argo CD cannot sync this environment from git",
      expected: "false, or credentials.source existingSecrets/externalSecrets",
    });
  }
  if (s.argocd.destination.server && s.argocd.destination.name) {
    out.push({ path: "argocd.destination", message: "both server and name are set", expected: "one of server or name" });
  }
  if (s.postSyncTests.registerFastTime) {
    if (!s.fastTime.enabled) {
      out.push({ path: "postSyncTests.registerFastTime", message: "the fast-time server is off", expected: "fastTime.enabled: true" });
    }
    // The derived SSRF allowlist takes the Service CIDRs (derived.ts); only an override can lose them.
    const c = s.gateway.config;
    const allowed = c.SSRF_ALLOWED_NETWORKS === undefined ? ssrfAllowedNetworks(s) : parseList(c.SSRF_ALLOWED_NETWORKS);
    const ssrfAdmits =
      c.SSRF_PROTECTION_ENABLED === "false" ||
      c.SSRF_ALLOW_PRIVATE_NETWORKS === "true" ||
      s.network.serviceCidrs.every((cidr) => allowed.includes(cidr));
    if (!ssrfAdmits) {
      out.push({
        path: "gateway.config.SSRF_ALLOWED_NETWORKS",
        message: "the gateway's SSRF protection rejects the in-cluster fast-time URL (a Service address) with HTTP 422",
        expected: `a JSON list that includes network.serviceCidrs ${JSON.stringify(s.network.serviceCidrs)}, or leave it unset (derived)`,
      });
    }
  }
  return out;
}

function describe(e: ErrorObject, line: (path: (string | number)[]) => number | undefined, source: (path: (string | number)[]) => string | undefined = () => undefined) {
  const segments = e.instancePath.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const schema = (e.parentSchema ?? {}) as { description?: string; enum?: unknown[]; pattern?: string };
  let message = e.message ?? "is invalid";
  let expected: string | undefined;
  let path = segments;
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      path = [...segments, key];
      message = "unknown key";
      const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      expected = known.length ? `one of ${known.join(", ")}` : "no keys";
      break;
    }
    case "pattern":
      message = `${brief(e.data)} is not valid`;
      expected = patternMeaning(schema.pattern ?? "") ?? `a value matching ${schema.pattern}`;
      break;
    case "enum":
      message = `${brief(e.data)} is not allowed`;
      expected = `one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
      break;
    case "type": {
      const want = String((e.params as { type: string }).type);
      const written = source(segments);
      expected = want;
      if (e.data === null) message = "has no value (nothing after the colon)";
      else if (want === "string" && (typeof e.data === "number" || typeof e.data === "boolean") && written !== undefined) {
        // YAML read the unquoted value as a number or boolean (17.0 -> 17, 1.10 -> 1.1, yes -> true).
        message = `${brief(written)} is read by YAML as the ${typeof e.data} ${JSON.stringify(e.data)}, not as text`;
        expected = `a string: quote it, ${JSON.stringify(written)}`;
      } else message = `${typeof e.data === "string" ? brief(e.data) : (written ?? brief(e.data))} has the wrong type`;
      break;
    }
    case "minimum":
    case "maximum":
      // As written: .inf or 1e400 would show as null otherwise (JSON has no infinity).
      message = `${source(segments) ?? brief(e.data)} is out of range`;
      expected = `${e.keyword === "minimum" ? ">=" : "<="} ${(e.params as { limit: number }).limit}`;
      break;
  }
  return { path: path.join("."), message, expected, line: line(path) };
}

function dedupe<T extends { path: string; message: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** 1-based line of a key path in the YAML document (the nearest existing ancestor). */
/** 1-based line of a dotted key path in settings text (the nearest existing ancestor), for cross-file messages. */
export function lineOfSetting(text: string, dottedPath: string): number | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  return lineOf(doc.contents, dottedPath.split("."), lines);
}

function lineOf(root: unknown, path: (string | number)[], lines: LineCounter): number | undefined {
  let node = root as Node | null | undefined;
  let found: number | undefined = node && "range" in node && node.range ? lines.linePos(node.range[0]).line : undefined;
  const segments = path.map(String);
  let i = 0;
  while (i < segments.length) {
    if (isMap(node)) {
      // Keys may contain dots (eks.amazonaws.com/role-arn): try the longest run of segments first.
      const index = keyIndex(node);
      let j = segments.length;
      while (j > i && !index.has(segments.slice(i, j).join("."))) j--;
      if (j === i) break;
      const pair = index.get(segments.slice(i, j).join("."))!;
      const key = pair.key as Node;
      if (key.range) found = lines.linePos(key.range[0]).line;
      node = pair.value as Node;
      i = j;
    } else if (isSeq(node)) {
      const item = node.items[Number(segments[i])] as Node | undefined;
      if (!item) break;
      if (item.range) found = lines.linePos(item.range[0]).line;
      node = item;
      i++;
    } else break;
  }
  return found;
}

/** The source text of the scalar at a key path (what the user wrote, before YAML read it), if there is one. */
function sourceOf(root: unknown, path: (string | number)[]): string | undefined {
  let node = root as Node | null | undefined;
  for (const segment of path.map(String)) {
    if (isMap(node)) node = keyIndex(node).get(segment)?.value as Node | undefined;
    else if (isSeq(node)) node = node.items[Number(segment)] as Node | undefined;
    else return undefined;
  }
  return isScalar(node) && typeof node.source === "string" ? node.source : undefined;
}

/** key -> pair of a mapping, built once per mapping (a lookup per problem stays constant-time in big maps). */
const KEY_INDEX = new WeakMap<object, Map<string, { key: unknown; value: unknown }>>();
function keyIndex(node: { items: { key: unknown; value: unknown }[] }): Map<string, { key: unknown; value: unknown }> {
  let index = KEY_INDEX.get(node);
  if (!index) {
    index = new Map();
    for (const pair of node.items) {
      const k = (pair.key as { value?: unknown } | null)?.value;
      if (k !== undefined && !index.has(String(k))) index.set(String(k), pair);
    }
    KEY_INDEX.set(node, index);
  }
  return index;
}
