import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateDocuments, validatePaths } from "../../scripts/validate/engine.ts";
import type { ResourceResult } from "../../packages/validate/src/types.ts";
import { schemaKey } from "../../packages/validate/src/perf/compile-cache.ts";
import { forgetSchemas } from "../../packages/validate/src/index.ts";
import { crdsTemplate, fixture, schemasDir, tempDir, testCacheDir } from "./helpers.ts";

const options = { cacheDir: testCacheDir, workers: 1, schemaLocations: [schemasDir, crdsTemplate] };
const doc = (content: string, filename = "in.yaml") => [{ filename, content }];
const brief = (r: ResourceResult) => [r.kind, r.name, r.status];

const deployment = (extraSpec = "", replicas = "2") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}${extraSpec}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

describe("validateDocuments: verdicts", () => {
  it("passes the stack fixture and the CRD fixture with the default offline schemas", async () => {
    for (const name of ["stack.yaml", "crds.yaml"]) {
      const report = await validateDocuments(doc(fs.readFileSync(fixture(name), "utf8"), name), options);
      expect(report.summary, name).toMatchObject({ invalid: 0, errors: 0 });
      expect(report.summary.valid, name).toBeGreaterThan(5);
    }
  });

  it("reports type errors and unknown fields under strict, with kubeconform's paths and words", async () => {
    const report = await validateDocuments(doc(deployment("\n  replicaz: 1", '"3"')), options);
    const [r] = report.resources;
    expect(r).toMatchObject({ kind: "Deployment", name: "web", version: "apps/v1", status: "statusInvalid" });
    // v6's order: the properties' own errors, then the object's additional properties
    expect(r!.validationErrors).toEqual([
      { path: "/spec/replicas", msg: "got string, want null or integer" },
      { path: "/spec", msg: "additional properties 'replicaz' not allowed" },
    ]);
    expect(r!.msg).toMatch(/^problem validating schema\. Check JSON formatting: jsonschema validation failed with 'file:\/\/.*deployment-apps-v1\.json#' - at '\/spec\/replicas'/);
  });

  it("lets duplicate keys through when strict is off, and looks for kubeconform's non-strict folder", async () => {
    const dup = deployment("\n  paused: false\n  paused: true");
    const strictFolder = `${schemasDir}/v1.36.2-standalone-strict/{{.ResourceKind}}{{.KindSuffix}}.json`;
    expect((await validateDocuments(doc(dup), { ...options, strict: false, schemaLocations: [strictFolder] })).summary.valid).toBe(1);
    // the shared schemas ship only the strict variant, so kubeconform (and we) find nothing without -strict
    const lax = await validateDocuments(doc(dup), { ...options, strict: false });
    expect(lax.resources[0]!.msg).toBe("could not find schema for Deployment");
    expect(lax.notices.join("\n")).toContain("v1.36.2-standalone");
    const strict = await validateDocuments(doc(dup), options);
    expect(strict.resources[0]!.status).toBe("statusError");
    expect(strict.resources[0]!.msg).toContain('key "paused" already set in map');
  });

  it("checks required fields and enums", async () => {
    const report = await validateDocuments(
      doc("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: Bogus\n  ports:\n    - protocol: TCP\n"),
      options,
    );
    expect(report.resources[0]!.validationErrors).toEqual([
      { path: "/spec/ports/0", msg: "missing property 'port'" },
    ]);
  });

  it("reads 1.1 booleans as kubeconform does: a ConfigMap value `yes` is invalid", async () => {
    const report = await validateDocuments(doc("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  on: yes\n"), options);
    expect(report.resources[0]!.validationErrors).toEqual([{ path: "/data/true", msg: "got boolean, want null or string" }]);
  });

  it("validates CRDs from the catalog layout, asserting formats there as kubeconform's draft-04 default does", async () => {
    const appProject = (extra: string) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\nspec:\n  sourceRepos: ["*"]\n${extra}`;
    expect((await validateDocuments(doc(appProject("")), options)).summary.valid).toBe(1);
    const wrong = await validateDocuments(doc("apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: e}\nspec:\n  refreshIntervall: 1h\n"), options);
    expect(wrong.resources[0]!.status).toBe("statusInvalid");
    const ts = await validateDocuments(
      doc("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n  destination: {}\n  project: p\nstatus:\n  reconciledAt: not-a-time\n"),
      options,
    );
    expect(ts.resources[0]!.validationErrors).toContainEqual({ path: "/status/reconciledAt", msg: "'not-a-time' is not valid date-time: less than 20 characters long" });
  });

  it("does not assert formats for the Kubernetes schemas (their $schema is the latest draft)", async () => {
    const job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, creationTimestamp: yesterday}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n";
    expect((await validateDocuments(doc(job), options)).summary.valid).toBe(1);
  });

  it("uses the Kubernetes version's schema folder", async () => {
    const report = await validateDocuments(doc(deployment()), { ...options, kubernetesVersion: "1.33.1" });
    expect(report.summary.valid).toBe(1);
    const missing = await validateDocuments(doc(deployment()), { ...options, kubernetesVersion: "1.20.0" });
    expect(missing.resources[0]).toMatchObject({ status: "statusError", msg: "could not find schema for Deployment" });
  });
});

describe("validateDocuments: options", () => {
  const mixed = `${deployment()}---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n`;

  it("a resource without schema is an error, or skipped with ignoreMissingSchemas", async () => {
    expect((await validateDocuments(doc(mixed), options)).resources.map(brief)).toEqual([
      ["Deployment", "web", "statusValid"],
      ["Widget", "w", "statusError"],
    ]);
    expect((await validateDocuments(doc(mixed), { ...options, ignoreMissingSchemas: true })).summary).toEqual({ valid: 1, invalid: 0, errors: 0, skipped: 1 });
  });

  it("skips by Kind or by GVK, and only the matching version", async () => {
    expect((await validateDocuments(doc(mixed), { ...options, skipKinds: ["Widget"] })).summary.skipped).toBe(1);
    expect((await validateDocuments(doc(mixed), { ...options, skipKinds: ["apps/v1/Deployment", "example.com/v1/Widget"] })).summary.skipped).toBe(2);
    expect((await validateDocuments(doc(mixed), { ...options, skipKinds: ["apps/v2/Deployment"] })).summary.skipped).toBe(0);
  });

  it("rejects kinds as errors", async () => {
    const report = await validateDocuments(doc(deployment()), { ...options, rejectKinds: ["Deployment"] });
    expect(report.resources[0]).toMatchObject({ status: "statusError", msg: "prohibited resource kind Deployment" });
  });

  it("searches schema locations in order: the first that has the schema wins", async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, "widgets"));
    fs.writeFileSync(path.join(dir, "widgets", "widget.json"), JSON.stringify({ type: "object", required: ["spec"] }));
    fs.writeFileSync(path.join(dir, "widgets", "broken.json"), "<html>not json</html>");
    const locations = [path.join(dir, "nothing-here"), `${dir}/widgets/{{.ResourceKind}}.json`, schemasDir];
    const report = await validateDocuments(doc(mixed), { ...options, schemaLocations: locations });
    expect(report.resources.map(brief)).toEqual([
      ["Deployment", "web", "statusValid"],
      ["Widget", "w", "statusInvalid"],
    ]);
    // a schema that is not JSON sends the search on, as kubeconform does
    const broken = await validateDocuments(doc("apiVersion: v1\nkind: Broken\nmetadata: {name: b}\n"), { ...options, schemaLocations: locations });
    expect(broken.resources[0]!.msg).toBe("could not find schema for Broken");
  });

  it("caches compiled validators on disk and reuses them", async () => {
    const cacheDir = tempDir();
    const schemas = tempDir();
    // a schema no other test has compiled, so nothing is in memory yet
    fs.writeFileSync(path.join(schemas, "gadget.json"), JSON.stringify({ type: "object", title: cacheDir }));
    const location = `${schemas}/{{.ResourceKind}}.json`;
    const gadget = doc("apiVersion: v1\nkind: Gadget\nmetadata: {name: g}\n");
    await validateDocuments(gadget, { cacheDir, workers: 1, schemaLocations: [location] });
    const files = fs.readdirSync(path.join(cacheDir, "validators"));
    expect(files.length).toBe(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.cjs$/);
    const code = fs.readFileSync(path.join(cacheDir, "validators", files[0]!), "utf8");
    expect(code).toContain("module.exports");
    const again = await validateDocuments(gadget, { cacheDir, workers: 1, schemaLocations: [location] });
    expect(again.summary.valid).toBe(1);
  });

  it("names a validator after its schema text and options: any one-character change or added byte gives another name", () => {
    const text = JSON.stringify({ type: "object", properties: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`field${i}`, { type: "string" }])) });
    const key = schemaKey("options", text);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(schemaKey("options", text)).toBe(key); // deterministic
    expect(schemaKey("options2", text)).not.toBe(key);
    const names = new Set([key]);
    // every position, first half and second half: a changed character, and a character added there
    for (let i = 0; i < text.length; i += 7) {
      const changed = text.slice(0, i) + (text[i] === "a" ? "b" : "a") + text.slice(i + 1);
      const added = text.slice(0, i) + " " + text.slice(i);
      names.add(schemaKey("options", changed)).add(schemaKey("options", added));
      expect(names.size).toBe(1 + 2 * (i / 7 + 1));
    }
  });
});

describe("validator names resist collisions", () => {
  it("two schemas whose texts have the same CRC-32 (plumless, buckeroo) get different validators", async () => {
    // zlib.crc32("plumless") === zlib.crc32("buckeroo"): a checksum-named cache served one schema's validator for the other
    const cacheDir = tempDir();
    const schemas = [tempDir(), tempDir()];
    const pad = "x".repeat(5000);
    fs.writeFileSync(path.join(schemas[0]!, "gadget.json"), JSON.stringify({ title: pad, type: "object", properties: { v: { enum: ["plumless"] } } }));
    fs.writeFileSync(path.join(schemas[1]!, "gadget.json"), JSON.stringify({ title: pad, type: "object", properties: { v: { enum: ["buckeroo"] } } }));
    const gadget = doc("apiVersion: v1\nkind: Gadget\nmetadata: {name: g}\nv: plumless\n");
    const first = await validateDocuments(gadget, { cacheDir, workers: 1, schemaLocations: [`${schemas[0]}/{{.ResourceKind}}.json`] });
    forgetSchemas(); // the second run loads from the disk cache, as a later process would
    const second = await validateDocuments(gadget, { cacheDir, workers: 1, schemaLocations: [`${schemas[1]}/{{.ResourceKind}}.json`] });
    expect(first.resources.map((r) => r.status)).toEqual(["statusValid"]);
    expect(second.resources.map((r) => r.status)).toEqual(["statusInvalid"]);
    expect(fs.readdirSync(path.join(cacheDir, "validators")).filter((f) => f.endsWith(".cjs"))).toHaveLength(2);
  });
});

describe("validateDocuments: bad input never stops the run", () => {
  it("reports each problem with its document and line and validates the rest", async () => {
    const report = await validatePaths([fixture("bad/mixed.yaml")], options);
    const rows = report.resources.map((r) => [r.status, r.documentIndex, r.line]);
    expect(rows).toEqual([
      ["statusValid", 1, 1],
      ["statusEmpty", 2, 8],
      ["statusError", 3, 10],
      ["statusError", 4, 19],
      ["statusError", 5, 25],
      ["statusError", 6, 28],
      ["statusError", 7, 30],
      ["statusError", 8, 34],
      ["statusInvalid", 9, 38],
      ["statusInvalid", 10, 55],
      ["statusError", 11, 62],
    ]);
    const msgs = report.resources.map((r) => r.msg);
    // kubeconform's texts (recorded from kubeconform 0.7.0); the position is in documentIndex/line
    expect(msgs[2]).toBe('error unmarshalling resource: error converting YAML to JSON: yaml: unmarshal errors:\n  line 8: key "a" already set in map');
    expect(msgs[3]).toMatch(/^error unmarshalling resource: error converting YAML to JSON: yaml: line \d+: /);
    expect(msgs[4]).toBe("error unmarshalling resource: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}");
    expect(msgs[5]).toBe("error unmarshalling resource: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}");
    expect(msgs[6]).toBe("error while parsing: missing 'kind' key");
    expect(msgs[7]).toBe("error while parsing: missing 'apiVersion' key");
    expect(msgs[10]).toBe("could not find schema for Widget");
    expect(report.summary).toEqual({ valid: 1, invalid: 2, errors: 7, skipped: 0 });
  });

  it("refuses alias bombs, binary files and unreadable paths, as kubeconform does", async () => {
    const report = await validatePaths([fixture("bad"), "no/such/file.yaml"], options);
    const byFile = (name: string) => report.resources.filter((r) => r.filename.endsWith(name));
    expect(byFile("alias-bomb.yaml").map((r) => [r.status, r.msg])).toEqual([
      ["statusError", expect.stringContaining("document contains excessive aliasing")],
      ["statusValid", ""],
    ]);
    expect(byFile("binary.yaml")[0]).toMatchObject({
      status: "statusError",
      msg: "error unmarshalling resource: error converting YAML to JSON: yaml: control characters are not allowed",
    });
    expect(byFile("file.yaml")[0]).toMatchObject({ status: "statusError", msg: "lstat no/such/file.yaml: no such file or directory" });
  });

  it("accepts documents over 4 MiB, as kubeconform's growing buffer does", async () => {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: "${"x".repeat(4 * 1024 * 1024)}"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: small}\n`;
    const report = await validateDocuments(doc(big), options);
    expect(report.resources.map((r) => r.status)).toEqual(["statusValid", "statusValid"]);
  });

  it("treats empty and comment-only documents as empty, not counted", async () => {
    const report = await validateDocuments(doc("# nothing\n---\n\n---\nnull\n"), options);
    expect(report.summary).toEqual({ valid: 0, invalid: 0, errors: 0, skipped: 0 });
    expect(report.files).toBe(1);
  });

  it("expands kind: List into its items, and reads JSON files", async () => {
    const list = await validatePaths([fixture("list.yaml"), fixture("valid.json")], options);
    expect(list.resources.map(brief)).toEqual([
      ["ConfigMap", "first", "statusValid"],
      ["ConfigMap", "second", "statusInvalid"],
      ["Service", "after-list", "statusValid"],
      ["Service", "from-json", "statusValid"],
    ]);
  });

  it("names generateName resources as kubeconform does", async () => {
    const report = await validateDocuments(doc("apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: cm-}\n"), options);
    expect(report.resources[0]!.name).toBe("cm-{{ generateName }}");
  });
});

describe("validateDocuments: fallback mode", () => {
  it("an explicit schema location that does not exist is kubeconform's error, never a silent fallback", async () => {
    const report = await validateDocuments(doc(deployment()), { ...options, schemaLocations: ["/nonexistent/schemas"] });
    expect(report.engine).toBe("schemas");
    expect(report.resources[0]).toMatchObject({ status: "statusError", msg: "could not find schema for Deployment" });
  });

  it("uses kubernetes-models only when asked, and they do not check unknown fields", async () => {
    const { kubernetesModels } = await import("../../scripts/validate/fallback.ts");
    const report = await validateDocuments(doc(`${deployment("\n  replicaz: 1")}---\n${deployment("", '"3"')}`), {
      ...options,
      fallback: kubernetesModels,
    });
    expect(report.engine).toBe("fallback");
    expect(report.resources.map((r) => r.status)).toEqual(["statusValid", "statusInvalid"]);
    expect(report.resources[1]!.validationErrors).toContainEqual({ path: "/spec/replicas", msg: "got string, want integer" });
  });
});

describe("validateDocuments: http(s) schema locations", () => {
  it("fetches a schema once, caches it on disk, and treats a 404 as not found", async () => {
    const http = await import("node:http");
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(req.url ?? "");
      if (req.url === "/schemas/gizmo-v1.json") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ type: "object", properties: { spec: { type: "object", required: ["size"] } } }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const cacheDir = tempDir();
      const location = `http://127.0.0.1:${port}/schemas/{{.ResourceKind}}{{.KindSuffix}}.json`;
      const input = doc("apiVersion: v1\nkind: Gizmo\nmetadata: {name: g}\nspec: {}\n---\napiVersion: v1\nkind: Gadget\nmetadata: {name: h}\n");
      const first = await validateDocuments(input, { cacheDir, schemaCache: cacheDir, workers: 1, schemaLocations: [location] });
      expect(first.resources.map((r) => [r.kind, r.status])).toEqual([
        ["Gizmo", "statusInvalid"],
        ["Gadget", "statusError"],
      ]);
      expect(first.resources[0]!.msg).toMatch(/- at '\/spec': missing property 'size'$/);
      expect(first.resources[1]!.msg).toBe("could not find schema for Gadget");
      expect(first.resources[0]!.msg).toContain(`failed with 'http://127.0.0.1:${port}/schemas/gizmo-v1.json#'`);
      // kubeconform's -cache layout: <cache>/<sha256 of the URL>
      const url = `http://127.0.0.1:${port}/schemas/gizmo-v1.json`;
      const { schemaCachePath } = await import("../../packages/validate/src/schema-locations.ts");
      expect(fs.existsSync(schemaCachePath(cacheDir, url))).toBe(true);
      // a new process would start with an empty memory: the disk cache answers, not the server
      const { loadSchemaText } = await import("../../packages/validate/src/schema-locations.ts");
      const again = await loadSchemaText(url, true, { schemaCache: cacheDir });
      expect(again.found).toBe(true);
      expect(requests.filter((u) => u.includes("gizmo"))).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});
