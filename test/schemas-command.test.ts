// The repository ships the schemas it validates against (schemas/), and `npm run schemas` refreshes them:
// every kind the repository renders has a shipped schema for every supported version, nothing else is shipped,
// a refresh says what it added, updated and removed, --check writes nothing, a kind found nowhere writes nothing.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { SHIPPED_SCHEMAS_DIR } from "../scripts/lib/paths.ts";
import { InputError } from "../scripts/lib/cli.ts";
import {
  formatSchemasResult,
  INTEGRATION_CRDS,
  main as schemasMain,
  refreshSchemas,
  renderedKinds,
  shippedKubernetesVersions,
  uniqueKinds,
} from "../scripts/schemas.ts";
import { defaultSchemaLocations, folderSchemaLocations, parseSchemaLocation, renderSchemaPath } from "../scripts/validate/schema-locations.ts";
import { REPO_ROOT, runCli } from "./helpers/repo.ts";
import { runInProcess } from "./helpers/in-process.ts";

const rendered = await renderedKinds(REPO_ROOT);
const temps: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-stack-schemas-test-"));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function write(root: string, file: string, content: unknown): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), typeof content === "string" ? content : JSON.stringify(content, null, 2));
}

describe("shipped schemas (schemas/)", () => {
  it("ship Kubernetes 1.36.2 (the default) and 1.33.1", () => {
    expect(shippedKubernetesVersions(SHIPPED_SCHEMAS_DIR)).toEqual(["1.36.2", "1.33.1"]);
  });

  it.each(["1.36.2", "1.33.1"])("hold a schema for every kind base, overlays and root render, and every integration CRD (Kubernetes %s)", (version) => {
    const locations = folderSchemaLocations(SHIPPED_SCHEMAS_DIR).map(parseSchemaLocation);
    const kinds = uniqueKinds([...rendered, ...INTEGRATION_CRDS]);
    expect(kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(["Deployment", "ExternalSecret", "ServiceMonitor", "Application", "Secret"]));
    const without = kinds.filter((g) => !locations.some((l) => fs.existsSync(renderSchemaPath(l, g.kind, g.apiVersion, version, true))));
    expect(without, "add the schema with `npm run schemas`").toEqual([]);
  });

  it("hold nothing else, minified, well under 10 MB", async () => {
    const result = await refreshSchemas({ check: true, locations: folderSchemaLocations(SHIPPED_SCHEMAS_DIR) });
    expect(result.missing).toEqual([]);
    expect(result.drift).toEqual({ changed: [], missing: [], stale: [] });
    const bytes = [...result.plan.values()].reduce((n, c) => n + c.length, 0);
    expect(bytes).toBeLessThan(7_000_000);
    for (const content of result.plan.values()) expect(content.split("\n")).toHaveLength(2); // one line + newline
  });

  it("are what validate and check read by default", () => {
    expect(defaultSchemaLocations()[0]).toBe(SHIPPED_SCHEMAS_DIR);
  });

  it("MCP_STACK_SCHEMAS points validation at another folder of the same layout", () => {
    const dir = tmp();
    fs.cpSync(SHIPPED_SCHEMAS_DIR, dir, { recursive: true });
    // A Service schema that demands a label proves this folder, not the shipped one, was read.
    const file = path.join(dir, "v1.36.2-standalone-strict", "service-v1.json");
    const schema = JSON.parse(fs.readFileSync(file, "utf8"));
    schema.required = [...(schema.required ?? []), "status"];
    fs.writeFileSync(file, JSON.stringify(schema));
    const service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports: [{port: 80}]\n";
    const own = runCli("scripts/validate.ts", ["-"], { input: service, env: { MCP_STACK_SCHEMAS: dir, MCP_STACK_CACHE: tmp() } });
    expect(own.stdout).toMatch(/status/);
    expect(own.code).toBe(1);
    const shipped = runCli("scripts/validate.ts", ["-"], { input: service, env: { MCP_STACK_CACHE: tmp() } });
    expect(shipped.code, shipped.stdout + shipped.stderr).toBe(0);
  });
});

describe("npm run schemas", () => {
  const service = { type: "object", properties: { kind: { enum: ["Service"] } } };
  const crd = { type: "object", properties: { spec: { type: "object" } } };
  const kinds = [
    { apiVersion: "v1", kind: "Service" },
    { apiVersion: "example.com/v1", kind: "Widget" },
  ];

  /** A source folder in kubeconform layout (k8s schemas + crds/ catalogue) and a repository with an old schemas/. */
  function setup() {
    const source = tmp();
    write(source, "v1.36.2-standalone-strict/service-v1.json", service);
    write(source, "crds/example.com/widget_v1.json", crd);
    const root = tmp();
    write(root, "schemas/v1.36.2-standalone-strict/service-v1.json", "{}\n");
    write(root, "schemas/v1.36.2-standalone-strict/pod-v1.json", "{}\n");
    return { source, root, locations: folderSchemaLocations(source) };
  }

  it("writes minified schemas in kubeconform layout and says what was added, updated and removed", async () => {
    const { root, locations } = setup();
    const result = await refreshSchemas({ root, locations, kinds });
    expect(result.drift).toEqual({
      changed: ["schemas/v1.36.2-standalone-strict/service-v1.json"],
      missing: ["schemas/crds/example.com/widget_v1.json"],
      stale: ["schemas/v1.36.2-standalone-strict/pod-v1.json"],
    });
    expect(fs.readFileSync(path.join(root, "schemas/v1.36.2-standalone-strict/service-v1.json"), "utf8")).toBe(JSON.stringify(service) + "\n");
    expect(fs.existsSync(path.join(root, "schemas/v1.36.2-standalone-strict/pod-v1.json"))).toBe(false);
    const text = formatSchemasResult(result, false);
    expect(text).toContain("added:   schemas/crds/example.com/widget_v1.json");
    expect(text).toContain("updated: schemas/v1.36.2-standalone-strict/service-v1.json");
    expect(text).toContain("removed: schemas/v1.36.2-standalone-strict/pod-v1.json");
    expect(text).toContain("1 added, 1 updated, 1 removed");
    // A second run finds nothing to do.
    const again = await refreshSchemas({ root, locations, kinds, check: true });
    expect(again.drift).toEqual({ changed: [], missing: [], stale: [] });
  });

  it("--check writes nothing and reports the drift", async () => {
    const { root, locations } = setup();
    const before = fs.readFileSync(path.join(root, "schemas/v1.36.2-standalone-strict/service-v1.json"), "utf8");
    const result = await refreshSchemas({ root, locations, kinds, check: true });
    expect(result.drift.changed).toEqual(["schemas/v1.36.2-standalone-strict/service-v1.json"]);
    expect(fs.readFileSync(path.join(root, "schemas/v1.36.2-standalone-strict/service-v1.json"), "utf8")).toBe(before);
    expect(fs.existsSync(path.join(root, "schemas/crds"))).toBe(false);
    expect(formatSchemasResult(result, true)).toMatch(/differs: .*service-v1.json[\s\S]*3 schema file\(s\) out of date/);
  });

  it("adds a Kubernetes version on request and refreshes the shipped ones", async () => {
    const { source, root, locations } = setup();
    write(source, "v1.33.1-standalone-strict/service-v1.json", service);
    const result = await refreshSchemas({ root, locations, kinds, kubernetesVersions: ["1.33.1"] });
    expect(result.drift.missing).toContain("schemas/v1.33.1-standalone-strict/service-v1.json");
    expect(shippedKubernetesVersions(path.join(root, "schemas"))).toEqual(["1.36.2", "1.33.1"]);
  });

  it("keeps a shipped schema no location has, and writes nothing when a kind has no schema anywhere", async () => {
    const { root, locations } = setup();
    write(root, "schemas/crds/example.com/gadget_v1.json", JSON.stringify(crd) + "\n");
    const withGadget = [...kinds, { apiVersion: "example.com/v1", kind: "Gadget" }];
    const kept = await refreshSchemas({ root, locations, kinds: withGadget });
    expect(kept.kept).toEqual(["schemas/crds/example.com/gadget_v1.json"]);
    expect(fs.existsSync(path.join(root, "schemas/crds/example.com/gadget_v1.json"))).toBe(true);

    const lost = [...withGadget, { apiVersion: "example.com/v1", kind: "Gizmo" }];
    const before = fs.readdirSync(path.join(root, "schemas"), { recursive: true }).sort();
    fs.writeFileSync(path.join(root, "schemas/v1.36.2-standalone-strict/service-v1.json"), "{}\n");
    const failed = await refreshSchemas({ root, locations, kinds: lost });
    expect(failed.missing).toEqual(["example.com/v1/Gizmo (Kubernetes 1.36.2)"]);
    expect(fs.readFileSync(path.join(root, "schemas/v1.36.2-standalone-strict/service-v1.json"), "utf8")).toBe("{}\n");
    expect(fs.readdirSync(path.join(root, "schemas"), { recursive: true }).sort()).toEqual(before);
    expect(formatSchemasResult(failed, false)).toContain("error: no schema for example.com/v1/Gizmo (Kubernetes 1.36.2) at any schema location; nothing written");
  });

  it("a location with none of the schemas (a missing folder: ../shared absent in a fresh clone) is exit 2, not up to date", async () => {
    const { root } = setup();
    const nowhere = path.join(root, "no-such-catalogue");
    const before = fs.readdirSync(path.join(root, "schemas"), { recursive: true }).sort();
    for (const check of [true, false]) {
      const err = await refreshSchemas({ root, locations: [nowhere], kinds: [{ apiVersion: "v1", kind: "Service" }], check }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).message).toBe(`no schema location has any of the 1 schemas: ${nowhere} (${nowhere}: no such folder); nothing ${check ? "compared" : "refreshed"}`);
    }
    expect(fs.readdirSync(path.join(root, "schemas"), { recursive: true }).sort()).toEqual(before);
  });

  it("reads a kubeconform-style URL template", async () => {
    const { source, root } = setup();
    const server = http.createServer((req, res) => {
      const file = path.join(source, decodeURIComponent(req.url ?? "/"));
      if (!fs.existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/json" }).end(fs.readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await refreshSchemas({ root, locations: [base, `${base}/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`], kinds });
      expect(result.missing).toEqual([]);
      expect(result.drift.missing).toEqual(["schemas/crds/example.com/widget_v1.json"]);
      expect(fs.readFileSync(path.join(root, "schemas/crds/example.com/widget_v1.json"), "utf8")).toBe(JSON.stringify(crd) + "\n");
    } finally {
      server.close();
    }
  });

  it("refuses a schema that is not JSON, naming the file (exit 2)", async () => {
    const { source, root, locations } = setup();
    write(source, "v1.36.2-standalone-strict/service-v1.json", "{ not json");
    await expect(refreshSchemas({ root, locations, kinds })).rejects.toThrow(/service-v1\.json.*expected a JSON schema|not JSON/);
  });

  it("prints its help", async () => {
    const run = await runInProcess(schemasMain, ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--schema-location LOC");
    expect(run.stdout).toContain("--check");
  });
});

