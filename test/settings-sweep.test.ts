// The robustness sweep: broken and tricky settings.yaml variants for every environment kind (dev, minikube, eks,
// manual-pv), each run through `generate` in-process on a copy of the repository.
//  - broken: exit 2, one message naming the file, the key path and its line; no stack trace, no secret value, no
//    huge echo, nothing written;
//  - tricky but valid (YAML 1.1 look-alikes, BOM, CRLF, tabs in strings, anchors, tags, flow and block styles):
//    loads as the plain file would, and the values reach the rendered objects unchanged.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Document, parseDocument, type Scalar } from "yaml";
import { copyRepo } from "./helpers/repo.ts";
import { runInProcess } from "./helpers/in-process.ts";
import { TRICKY_STRINGS } from "./helpers/tricky.ts";
import { main as generateMain } from "../scripts/generate.ts";
import { kustomizeBuild } from "../scripts/lib/kustomize.ts";
import { loadAllAsYaml11 } from "../scripts/lib/yaml.ts";
import { parseSettings } from "../scripts/settings/load.ts";
import { labelValue } from "../scripts/validate/semantic/index.ts";
import { credentialsDir } from "../scripts/lib/local-credentials.ts";

const ENVS = ["dev", "minikube", "eks", "manual-pv"] as const;
type Json = Record<string, unknown>;

let repo: string;
const originals = new Map<string, string>();
const settingsPath = (env: string) => path.join(repo, "overlays", env, "settings.yaml");

/** Every credential value on disk in the copy: none may appear in any message. */
let secrets: string[] = [];

beforeAll(async () => {
  repo = copyRepo({ credentials: "fixed" });
  for (const env of ENVS) originals.set(env, fs.readFileSync(settingsPath(env), "utf8"));
  // The local credentials (seeded in the copy, as a first run would write them): the messages below must not leak them.
  expect((await runInProcess(generateMain, ["--root", repo])).code).toBe(0);
  secrets = ENVS.flatMap((env) => {
    const dir = credentialsDir(repo, env);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).flatMap((f) => fs.readFileSync(path.join(dir, f), "utf8").split("\n").map((l) => l.slice(l.indexOf("=") + 1)).filter((v) => v.length >= 12));
  });
  expect(secrets.length).toBeGreaterThan(3);
});
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

/** Size and mtime of every file the generator writes: "nothing written" is this unchanged. */
function treeSignature(): string {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(repo, rel);
    if (!fs.existsSync(abs)) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = path.join(rel, e.name);
      if (e.isDirectory()) walk(child);
      else if (e.name !== "settings.yaml") {
        const st = fs.statSync(path.join(repo, child));
        out.push(`${child} ${st.size} ${st.mtimeMs}`);
      }
    }
  };
  for (const d of ["base", "components", "overlays", "clusters", "argocd", "kustomization.yaml", "README.md", "settings.schema.json"]) {
    const abs = path.join(repo, d);
    if (fs.existsSync(abs) && fs.statSync(abs).isFile()) out.push(`${d} ${fs.statSync(abs).mtimeMs}`);
    else walk(d);
  }
  return out.sort().join("\n");
}

type Edit =
  | { set: [(string | number)[], unknown] }
  | { text: (original: string) => string }
  | { bytes: (original: string) => Buffer };

interface Broken {
  name: string;
  edit: Edit;
  /** The key path the message names ("(top level)" for the whole file). */
  key: string;
  message?: RegExp;
  /** The message has a line (default true). */
  line?: boolean;
  /** Must not appear in the output (a secret the variant wrote). */
  hidden?: string;
}

const set = (p: (string | number)[], value: unknown): Edit => ({ set: [p, value] });
const append = (tail: string): Edit => ({ text: (t) => `${t.replace(/\n*$/, "\n")}${tail}` });
/** Sets a key to a placeholder, then writes `raw` in its place: what a user typed, unquoted. */
const setRaw = (p: (string | number)[], raw: string): Edit => ({
  text: (t) => {
    const doc = parseDocument(t);
    doc.setIn(p, "RAW-PLACEHOLDER");
    return doc.toString({ lineWidth: 0 }).replace(/ RAW-PLACEHOLDER$/m, raw === "" ? "" : ` ${raw}`);
  },
});
/** The file's first top-level setting given again at its end. */
const repeatFirstKey: Edit = { text: (t) => `${t.replace(/\n*$/, "\n")}${t.split("\n").find((l) => /^[a-zA-Z]+: \S/.test(l))}\n` };

const BROKEN: Broken[] = [
  // wrong types
  { name: "namespace a number", edit: set(["namespace"], 123), key: "namespace", message: /read by YAML as the number 123/ },
  { name: "namespace a boolean", edit: set(["namespace"], true), key: "namespace", message: /read by YAML as the boolean true/ },
  { name: "replicas a word", edit: set(["gateway", "replicas"], "two"), key: "gateway.replicas", message: /"two" has the wrong type \(expected integer\)/ },
  { name: "replicas negative", edit: set(["gateway", "replicas"], -1), key: "gateway.replicas", message: /out of range/ },
  { name: "replicas a fraction", edit: set(["gateway", "replicas"], 1.5), key: "gateway.replicas", message: /wrong type/ },
  { name: "a boolean as a string", edit: set(["velero", "enabled"], "yes"), key: "velero.enabled", message: /wrong type \(expected boolean\)/ },
  { name: "labels a list", edit: set(["labels"], ["a", "b"]), key: "labels", message: /wrong type \(expected object\)/ },
  { name: "label value a number", edit: set(["labels", "team"], 5), key: "labels.team", message: /read by YAML as the number 5/ },
  { name: "annotations a string", edit: set(["annotations"], "team=platform"), key: "annotations", message: /wrong type/ },
  { name: "imagePullSecrets a string", edit: set(["imagePullSecrets"], "regcred"), key: "imagePullSecrets", message: /wrong type \(expected array\)/ },
  { name: "image tag read as a number (17.0)", edit: setRaw(["postgres", "image", "tag"], "17.0"), key: "postgres.image.tag", message: /"17\.0" is read by YAML as the number 17, not as text \(expected a string: quote it, "17\.0"\)/ },
  { name: "a key with no value", edit: setRaw(["storageClass", "name"], ""), key: "storageClass.name", message: /has no value/ },
  { name: "a section with no value", edit: set(["adminUIs"], null), key: "adminUIs", message: /has no value/ },
  { name: "gateway.config value a number", edit: set(["gateway", "config", "GUNICORN_WORKERS"], 4), key: "gateway.config.GUNICORN_WORKERS", message: /read by YAML as the number 4/ },
  { name: "toleration operator unknown", edit: set(["tolerations"], [{ key: "x", operator: "Maybe" }]), key: "tolerations.0.operator", message: /not allowed/ },
  // unknown keys and typos
  { name: "unknown top-level key (typo)", edit: append("namspace: mcp-x\n"), key: "namspace", message: /unknown key \(expected one of profile, namespace/ },
  { name: "unknown nested key", edit: set(["gateway", "replica"], 2), key: "gateway.replica", message: /unknown key/ },
  { name: "unknown image key", edit: set(["gateway", "image", "tags"], "v1"), key: "gateway.image.tags", message: /unknown key/ },
  { name: "misspelt section", edit: append("ingres:\n  host: a.example.com\n"), key: "ingres", message: /unknown key/ },
  { name: "misspelt nested section", edit: set(["postgres", "persistance"], { size: "1Gi" }), key: "postgres.persistance", message: /unknown key/ },
  { name: "enum typo", edit: set(["profile"], "prod"), key: "profile", message: /not allowed/ },
  { name: "unknown key in an extra patch", edit: set(["extraPatches"], [{ path: "x.yaml", target: { kind: "Deployment", nam: "x" } }]), key: "extraPatches.0.target.nam", message: /unknown key/ },
  { name: "a top-level key y (YAML 1.1 boolean)", edit: append("y: 1\n"), key: "y", message: /unknown key/ },
  // names
  { name: "namespace with capitals", edit: set(["namespace"], "My_NS"), key: "namespace", message: /not valid/ },
  { name: "namespace too long", edit: set(["namespace"], "a".repeat(64)), key: "namespace", message: /not valid/ },
  { name: "namespace starting with -", edit: set(["namespace"], "-mcp"), key: "namespace", message: /not valid/ },
  { name: "namespace of the cluster's own", edit: set(["namespace"], "kube-system"), key: "namespace", message: /namespace of the cluster's own/ },
  { name: "host with a space", edit: set(["ingress", "host"], "mcp example.com"), key: "ingress.host", message: /not valid/ },
  { name: "host in capitals", edit: set(["ingress", "host"], "MCP.example.com"), key: "ingress.host", message: /not valid/ },
  { name: "TLS secret name", edit: set(["ingress", "tls", "secretName"], "TLS_Secret"), key: "ingress.tls.secretName" },
  { name: "StorageClass name", edit: set(["postgres", "persistence", "storageClassName"], "GP3 Fast!"), key: "postgres.persistence.storageClassName", message: /RFC 1123 subdomain/ },
  { name: "label key", edit: set(["labels", "bad key!"], "x"), key: "labels.bad key!", message: /name part must consist/ },
  { name: "label value", edit: set(["labels", "team"], "-platform-"), key: "labels.team", message: /a valid label must be/ },
  { name: "label value too long", edit: set(["labels", "team"], "a".repeat(64)), key: "labels.team", message: /no more than 63 characters/ },
  { name: "label value unicode", edit: set(["labels", "team"], "ünïcödé"), key: "labels.team" },
  { name: "annotation key", edit: set(["annotations", "a/b/c"], "x"), key: "annotations.a/b/c", message: /qualified name/ },
  { name: "pull secret name", edit: set(["imagePullSecrets"], ["Reg Cred"]), key: "imagePullSecrets.0" },
  { name: "node selector value", edit: set(["nodeSelector", "disk"], "fast ssd"), key: "nodeSelector.disk" },
  { name: "toleration key", edit: set(["tolerations"], [{ key: "bad key", operator: "Exists" }]), key: "tolerations.0.key" },
  { name: "toleration value with Exists", edit: set(["tolerations"], [{ key: "k", operator: "Exists", value: "v" }]), key: "tolerations.0.value", message: /must be empty when operator is Exists/ },
  { name: "tolerationSeconds without NoExecute", edit: set(["tolerations"], [{ key: "k", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 5 }]), key: "tolerations.0.tolerationSeconds", message: /NoExecute/ },
  { name: "PostgreSQL database name", edit: set(["postgres", "database"], "Mcp-DB"), key: "postgres.database" },
  { name: "fleet cluster name", edit: set(["clusters"], [{ name: "Bad_Name", stage: 1, destination: { name: "x" } }]), key: "clusters.0.name" },
  { name: "gateway.config key as environment variable", edit: set(["gateway", "config", "1LOG_LEVEL"], "debug"), key: "gateway.config.1LOG_LEVEL", message: /environment variable name/ },
  // CIDRs and IPs
  { name: "CIDR prefix too long", edit: set(["gateway", "egressCidrs"], ["10.0.0.0/33"]), key: "gateway.egressCidrs.0", message: /prefix length 33/ },
  { name: "CIDR octet out of range", edit: set(["ingress", "sourceCidrs"], ["300.0.0.0/8"]), key: "ingress.sourceCidrs.0" },
  { name: "CIDR without prefix", edit: set(["network", "serviceCidrs"], ["10.0.0.0"]), key: "network.serviceCidrs.0" },
  { name: "IPv6 CIDR prefix too long", edit: set(["gateway", "egressCidrs"], ["fe80::/129"]), key: "gateway.egressCidrs.0", message: /129/ },
  { name: "host an IP address", edit: set(["ingress", "host"], "10.0.0.1"), key: "ingress.host", message: /not an IP address/ },
  // cron and time zones
  { name: "cron in words", edit: set(["backup", "schedule"], "every day"), key: "backup.schedule", message: /5 fields/ },
  { name: "cron minute 61", edit: set(["backup", "schedule"], "61 * * * *"), key: "backup.schedule", message: /above maximum/ },
  { name: "cron with seconds (6 fields)", edit: set(["backup", "schedule"], "0 * * * * *"), key: "backup.schedule" },
  { name: "cron macro unknown", edit: set(["backup", "schedule"], "@fortnightly"), key: "backup.schedule", message: /unrecognized descriptor/ },
  { name: "time zone unknown", edit: set(["backup", "timeZone"], "Mars/Olympus"), key: "backup.timeZone", message: /unknown time zone/ },
  { name: "time zone offset", edit: set(["backup", "timeZone"], "UTC+2"), key: "backup.timeZone" },
  // quantities
  { name: "CPU in words", edit: set(["gateway", "resources", "requests", "cpu"], "2 cores"), key: "gateway.resources.requests.cpu" },
  { name: "memory in GB", edit: set(["gateway", "resources", "limits", "memory"], "1GB"), key: "gateway.resources.limits.memory" },
  { name: "request above limit", edit: set(["gateway", "resources", "requests", "cpu"], "8"), key: "gateway.resources.requests.cpu", message: /above the limit/ },
  { name: "volume size zero", edit: set(["postgres", "persistence", "size"], "0"), key: "postgres.persistence.size", message: /greater than zero/ },
  { name: "volume size negative", edit: set(["postgres", "persistence", "size"], "-5Gi"), key: "postgres.persistence.size" },
  // images
  { name: "image repository with capitals and spaces", edit: set(["gateway", "image", "repository"], "ghcr.io/IBM/Mcp Context Forge"), key: "gateway.image.repository", message: /invalid reference format/ },
  { name: "image repository in capitals", edit: set(["fastTime", "image", "repository"], "ghcr.io/IBM/fast-time-server"), key: "fastTime.image.repository", message: /lowercase/ },
  { name: "image repository with a tag", edit: set(["redis", "image", "repository"], "redis:7"), key: "redis.image.repository" },
  { name: "image tag with a colon", edit: set(["gateway", "image", "tag"], "v1:x"), key: "gateway.image.tag" },
  { name: "image digest short", edit: set(["gateway", "image", "digest"], "sha256:abc"), key: "gateway.image.digest" },
  // ports
  { name: "port 0", edit: set(["network", "apiServer", "ports"], [0]), key: "network.apiServer.ports.0", message: /out of range/ },
  { name: "port 70000", edit: set(["network", "apiServer", "ports"], [70000]), key: "network.apiServer.ports.0", message: /out of range/ },
  { name: "port a name", edit: set(["gateway", "publicEgress", "ports"], ["https"]), key: "gateway.publicEgress.ports.0" },
  // cross-key rules
  { name: "minReplicas above maxReplicas", edit: set(["gateway", "hpa"], { enabled: true, minReplicas: 5, maxReplicas: 3 }), key: "gateway.hpa.minReplicas", message: /above maxReplicas/ },
  { name: "path without a slash", edit: set(["ingress", "path"], "nopath"), key: "ingress.path" },
  { name: "runbook URL not http", edit: set(["monitoring", "runbookBaseUrl"], "ftp://x"), key: "monitoring.runbookBaseUrl" },
  // secrets: refused, and their value never shown
  { name: "a password in gateway.config", edit: set(["gateway", "config", "PLATFORM_ADMIN_PASSWORD"], "s3cr3t-Value-4711!"), key: "gateway.config.PLATFORM_ADMIN_PASSWORD", message: /is a credential/, hidden: "s3cr3t-Value-4711!" },
  { name: "an SSO client secret in gateway.config", edit: set(["gateway", "config", "SSO_GITHUB_CLIENT_SECRET"], "gh-0123456789abcdef"), key: "gateway.config.SSO_GITHUB_CLIENT_SECRET", message: /is a credential/, hidden: "gh-0123456789abcdef" },
  { name: "a database URL with its password in gateway.config", edit: set(["gateway", "config", "DATABASE_URL"], "postgresql://u:hunter2hunter2@db/mcp"), key: "gateway.config.DATABASE_URL", hidden: "hunter2hunter2" },
  // huge values
  { name: "a huge value is not echoed", edit: set(["namespace"], "a".repeat(200_000)), key: "namespace", message: /\(200002 characters\)/ },
  { name: "annotations over 256 KiB", edit: set(["annotations", "big"], "x".repeat(300_000)), key: "annotations", message: /at most 262144 bytes/ },
  { name: "a file over 1 MiB", edit: append(`# ${"x".repeat(1024 * 1024)}\n`), key: "(top level)", message: /limited to 1048576 bytes/ },
  // YAML syntax
  { name: "unclosed flow sequence", edit: append("imagePullSecretz: [a, b\n"), key: "(top level)", message: /YAML syntax error/ },
  { name: "unterminated quote", edit: append('velero2: "abc\n'), key: "(top level)", message: /YAML syntax error/ },
  { name: "bad indentation", edit: append("adminUIz:\n    pgadmin: true\n  redisCommander: true\n"), key: "(top level)", message: /YAML syntax error/ },
  { name: "tab indentation", edit: append("adminUIz:\n\tpgadmin: true\n"), key: "(top level)", message: /YAML syntax error: Tabs are not allowed/ },
  { name: "key without colon space", edit: append("velero3:true\nx: [\n"), key: "(top level)", message: /YAML syntax error/ },
  { name: "an alias of no anchor", edit: append("velero4: *nothing\n"), key: "(top level)", message: /YAML rejected: Unresolved alias/ },
  { name: "an alias bomb (billion laughs)", edit: append(`lol1: &a [${Array(10).fill("x").join(",")}]\nlol2: &b [${Array(10).fill("*a").join(",")}]\nlol3: &c [${Array(10).fill("*b").join(",")}]\nlol4: [${Array(10).fill("*c").join(",")}]\n`), key: "(top level)", message: /Excessive alias count/ },
  { name: "a duplicate top-level key", edit: repeatFirstKey, key: "profile", message: /key given twice \(first on line \d+\)/ },
  { name: "a duplicate nested key", edit: { text: (t) => t.replace(/^profile: (.*)$/m, "profile: $1\nmigration:\n  backoffLimit: 2\n  backoffLimit: 3") }, key: "migration.backoffLimit", message: /key given twice/ },
  { name: "a list as key", edit: append("? [a, b]\n: 1\n"), key: "(top level)", message: /a key that is a list or mapping/ },
  { name: "a null key", edit: append("~: 1\n"), key: "(top level)", message: /a key that is empty/ },
  // encodings and documents
  { name: "a NUL byte", edit: append("velero5: a\0b\n"), key: "(top level)", message: /NUL byte/ },
  { name: "Latin-1, not UTF-8", edit: { bytes: (t) => Buffer.concat([Buffer.from(t.replace(/\n*$/, "\n")), Buffer.from("labels5: caf"), Buffer.from([0xe9]), Buffer.from("\n")]) }, key: "(top level)", message: /not valid UTF-8/ },
  { name: "UTF-16", edit: { bytes: (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, "utf16le")]) }, key: "(top level)", message: /UTF-16/ },
  { name: "a null document", edit: { text: () => "~\n" }, key: "(top level)", message: /holds no settings \(null\)/ },
  { name: "an empty file", edit: { text: () => "" }, key: "(top level)", message: /is empty/ },
  { name: "comments only", edit: { text: (t) => t.split("\n").map((l) => `# ${l}`).join("\n") }, key: "(top level)", message: /holds only comments/ },
  { name: "a list", edit: { text: () => "- namespace: mcp\n- profile: dev\n" }, key: "(top level)", message: /is a list \(2 items\)/ },
  { name: "a single value", edit: { text: () => "mcp\n" }, key: "(top level)", message: /is a single value/ },
  { name: "two documents", edit: append("---\nnamespace: second\n"), key: "(top level)", message: /holds 2 YAML documents/ },
];

/** Each environment's settings.yaml parsed once; a `set` edits a copy of it (the same document a new parse gives). */
const parsed = new Map<string, Document>();
function apply(env: string, edit: Edit): void {
  const original = originals.get(env)!;
  if ("bytes" in edit) return fs.writeFileSync(settingsPath(env), edit.bytes(original));
  if ("text" in edit) return fs.writeFileSync(settingsPath(env), edit.text(original));
  if (!parsed.has(env)) {
    const doc = parseDocument(original);
    expect(doc.clone().toString({ lineWidth: 0 })).toBe(parseDocument(original).toString({ lineWidth: 0 }));
    parsed.set(env, doc);
  }
  const doc = parsed.get(env)!.clone();
  doc.setIn(edit.set[0], edit.set[1]);
  fs.writeFileSync(settingsPath(env), doc.toString({ lineWidth: 0 }));
}

describe("broken settings files: exit 2, file, key path and line; no stack trace, no secret, nothing written", () => {
  it("the sweep has at least 60 broken variants", () => expect(BROKEN.length).toBeGreaterThanOrEqual(60));

  const cases = ENVS.flatMap((env) => BROKEN.map((b) => ({ ...b, env, title: `${env}: ${b.name}` })));
  // The generated tree as the first run left it; every broken run must leave it so (each case restores its settings.yaml,
  // which the signature leaves out).
  let before: string;
  beforeAll(() => {
    before = treeSignature();
  });
  it.each(cases)("$title", async (c) => {
    apply(c.env, c.edit);
    try {
      const r = await runInProcess(generateMain, ["--root", repo]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(new RegExp(`^error: overlays/${c.env}/settings\\.yaml`));
      const where = new RegExp(`^overlays/${c.env}/settings\\.yaml${c.line === false ? "" : ":\\d+"}: ${c.key.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: `);
      expect(r.stderr.split("\n").some((l) => where.test(l.replace(/^error: /, ""))), r.stderr).toBe(true);
      if (c.message) expect(r.stderr).toMatch(c.message);
      expect(r.stderr).not.toMatch(/\n\s+at |\/tmp\/|mcp-stack-generate-/);
      // A bounded message (a size, not a time): a few lines, long values cut, never the file echoed back.
      const lines = r.stderr.split("\n");
      expect(lines.length, r.stderr).toBeLessThanOrEqual(30);
      expect(Math.max(...lines.map((l) => l.length)), r.stderr).toBeLessThanOrEqual(1000);
      for (const secret of [...secrets, ...(c.hidden ? [c.hidden] : [])]) expect(r.stderr.includes(secret), "a secret value in the message").toBe(false);
      expect(treeSignature()).toBe(before);
    } finally {
      fs.writeFileSync(settingsPath(c.env), originals.get(c.env)!);
    }
  });
});

/** Tricky strings as annotation values (any string), label values (those the API server accepts) and config values. */
const ANNOTATION_VALUES = TRICKY_STRINGS;
const LABEL_VALUES = TRICKY_STRINGS.filter((v) => !labelValue(v));
const CONFIG_VALUES = TRICKY_STRINGS;

/** Formatting tricks that leave the settings unchanged: each env's file is rewritten with one of them. */
const FORMATS: Record<(typeof ENVS)[number], { name: string; rewrite: (text: string) => string }> = {
  dev: { name: "BOM and CRLF line endings", rewrite: (t) => `\uFEFF${t.replace(/\n/g, "\r\n")}` },
  minikube: { name: "a %YAML directive, --- and ... markers, trailing spaces and comments", rewrite: (t) => `%YAML 1.2\n---\n${t.split("\n").map((l) => (/^[a-zA-Z]+:$/.test(l) ? `${l}   # note` : /: /.test(l) ? `${l}  ` : l)).join("\n")}\n...\n` },
  eks: { name: "an anchor and its aliases, an explicit !!str tag", rewrite: (t) => t.replace(/^namespace: (\S+)$/m, "namespace: !!str $1").replace(/^  name: gp3$/m, "  name: &sc gp3").replace(/storageClassName: gp3$/gm, "storageClassName: *sc") },
  "manual-pv": { name: "quoted keys and a flow mapping", rewrite: (t) => t.replace(/^namespace:/m, '"namespace":').replace(/^adminUIs:\n  pgadmin: (\w+)\n  redisCommander: (\w+)$/m, "adminUIs: { pgadmin: $1, redisCommander: $2 }") },
};

/** Namespaces YAML 1.1 or 1.2 would read as something else: they must reach every object (and cluster overlay) as written. */
const TRICKY_NAMESPACES: Record<(typeof ENVS)[number], string> = { dev: "0x10", minikube: "no", eks: "2001-12-14", "manual-pv": "00123" };

function writeTricky(env: (typeof ENVS)[number]): void {
  const doc = parseDocument(originals.get(env)!);
  doc.setIn(["namespace"], TRICKY_NAMESPACES[env]);
  ANNOTATION_VALUES.forEach((v, i) => doc.setIn(["annotations", `tricky.example.com/a${i}`], v));
  LABEL_VALUES.forEach((v, i) => doc.setIn(["labels", `tricky.example.com/l${i}`], v));
  CONFIG_VALUES.forEach((v, i) => doc.setIn(["gateway", "config", `TRICKY_${i}`], v));
  // A tab inside a quoted string and a block scalar: values, not formatting, survive.
  doc.setIn(["gateway", "serviceAnnotations", "tricky.example.com/tab"], "a\tb");
  const block = doc.createNode("line one") as Scalar;
  block.type = "BLOCK_LITERAL";
  doc.setIn(["gateway", "serviceAnnotations", "tricky.example.com/block"], block);
  const text = doc.toString({ lineWidth: 0 });
  expect(text).toMatch(/tricky\.example\.com\/block: \|-\n/);
  fs.writeFileSync(settingsPath(env), FORMATS[env].rewrite(text));
}

describe("tricky but valid settings files render unchanged", () => {
  it.each(ENVS)("%s: the formatting trick loads as the plain file does", (env) => {
    const plain = parseSettings(originals.get(env)!, "x");
    expect(parseSettings(FORMATS[env].rewrite(originals.get(env)!), "x")).toEqual(plain);
  });

  it("every tricky value reaches the rendered objects byte for byte, in every environment", async () => {
    for (const env of ENVS) writeTricky(env);
    try {
      const r = await runInProcess(generateMain, ["--root", repo]);
      expect(r.code, r.stderr).toBe(0);
      for (const env of ENVS) {
        const objects = loadAllAsYaml11((await kustomizeBuild(path.join(repo, "overlays", env))).yaml).filter((o): o is Json => !!o && typeof o === "object");
        expect(objects.length).toBeGreaterThan(10);
        for (const o of objects) {
          const meta = o.metadata as { name: string; annotations?: Json; labels?: Json };
          ANNOTATION_VALUES.forEach((v, i) => expect(meta.annotations?.[`tricky.example.com/a${i}`], `${env} ${o.kind}/${meta.name} annotation ${JSON.stringify(v)}`).toBe(v));
          LABEL_VALUES.forEach((v, i) => expect(meta.labels?.[`tricky.example.com/l${i}`], `${env} ${o.kind}/${meta.name} label ${JSON.stringify(v)}`).toBe(v));
        }
        const config = objects.find((o) => o.kind === "ConfigMap" && String((o.metadata as Json).name).startsWith("mcp-gateway-config"));
        expect(config, env).toBeDefined();
        CONFIG_VALUES.forEach((v, i) => expect((config!.data as Json)[`TRICKY_${i}`], `${env} gateway.config ${JSON.stringify(v)}`).toBe(v));
        for (const o of objects) {
          const meta = o.metadata as { name: string; namespace?: unknown };
          if (meta.namespace !== undefined) expect(meta.namespace, `${env} ${o.kind}/${meta.name} namespace`).toBe(TRICKY_NAMESPACES[env]);
        }
        expect(objects.find((o) => o.kind === "Namespace")?.metadata).toMatchObject({ name: TRICKY_NAMESPACES[env] });
        const service = objects.find((o) => o.kind === "Service" && (o.metadata as Json).name === "mcp-gateway")!;
        expect((service.metadata as { annotations: Json }).annotations).toMatchObject({ "tricky.example.com/tab": "a\tb", "tricky.example.com/block": "line one" });
      }
      // The fleet's cluster overlays patch the objects of an environment whose namespace is "2001-12-14": kustomize's
      // strategic-merge patching writes a patched object's namespace back as a plain scalar (2001-12-14T00:00:00Z, and
      // a patch's own `namespace: "00123"` would become 83); every object must keep the environment's namespace.
      const clusters = fs.readdirSync(path.join(repo, "clusters", "eks"));
      expect(clusters.length).toBeGreaterThan(0);
      for (const cluster of clusters) {
        const objects = loadAllAsYaml11((await kustomizeBuild(path.join(repo, "clusters", "eks", cluster))).yaml) as Json[];
        const namespaces = new Set(objects.map((o) => (o.metadata as Json).namespace).filter((n) => n !== undefined));
        expect([...namespaces], cluster).toEqual([TRICKY_NAMESPACES.eks]);
      }
    } finally {
      for (const env of ENVS) fs.writeFileSync(settingsPath(env), originals.get(env)!);
    }
  }, 300_000);
});
