// Configuration-defined rules (templates), per-profile parameters, input robustness and scale.
import { describe, expect, it, onTestFinished } from "vitest";
import { createEngine, parseManifests, PolicyInputError, readManifests, TEMPLATES } from "../src/index.ts";
const fs = process.getBuiltinModule("node:fs");
const os = process.getBuiltinModule("node:os");
const path = process.getBuiltinModule("node:path");
const { spawnSync } = process.getBuiltinModule("node:child_process");

const engine = createEngine();
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: { team: payments }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

describe("rules from templates in the configuration file", () => {
  const config = engine.parseConfig(
    {
      rules: [
        { id: "required-label-owner", template: "required-label", severity: "error", parameters: { key: "owner", podTemplate: false } },
        { id: "required-annotation-email", template: "required-annotation", parameters: { key: "email", pattern: "^[^@]+@[^@]+$" } },
        { id: "no-pod-security-policy", template: "disallowed-kind", parameters: { kind: "PodSecurityPolicy" } },
      ],
    },
    "policy.yaml",
  );

  it("instantiates required label, required annotation and disallowed kind without code", () => {
    const objects = parseManifests(DEPLOYMENT + "---\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: { name: psp }\n", "x.yaml");
    const found = engine.evaluate(objects, { config }).findings.filter((f) => config.rules.some((r) => r.id === f.ruleId));
    expect(found.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      ["required-annotation-email", "warning", "metadata has no email annotation"],
      ["required-label-owner", "error", "metadata has no owner label"],
      ["no-pod-security-policy", "warning", "PodSecurityPolicy objects are not allowed"],
    ]);
    const owned = parseManifests(DEPLOYMENT.replace("labels: { team: payments }", "labels: { owner: payments }\n  annotations: { email: a@b.example }"), "x.yaml");
    expect(engine.evaluate(owned, { config }).findings.filter((f) => config.rules.some((r) => r.id === f.ruleId))).toEqual([]);
  });

  it("lets exemptions and profiles name the new rules", () => {
    const withProfile = engine.parseConfig({ rules: [{ id: "needs-owner", template: "required-label", parameters: { key: "owner" } }], profiles: { production: { "needs-owner": "off" } } }, "p.yaml");
    expect(engine.evaluate(parseManifests(DEPLOYMENT, "x.yaml"), { config: withProfile }).findings.some((f) => f.ruleId === "needs-owner")).toBe(false);
  });

  it("refuses unknown templates, parameters and ids that exist, naming the key", () => {
    const bad = (rules: unknown[]): string => {
      try {
        engine.parseConfig({ rules }, "policy.yaml");
      } catch (err) {
        expect(err).toBeInstanceOf(PolicyInputError);
        return (err as PolicyInputError).format();
      }
      throw new Error("accepted");
    };
    expect(bad([{ id: "x", template: "nope" }])).toMatch(/^policy\.yaml: rules\[0\]\.template: unknown template "nope"/);
    expect(bad([{ id: "x", template: "required-label", parameters: { key: "o", colour: "red" } }])).toMatch(/rules\[0\]\.parameters\.colour: template required-label has no parameter/);
    expect(bad([{ id: "x", template: "required-label" }])).toMatch(/rules\[0\]\.parameters\.key: template required-label needs parameter "key"/);
    expect(bad([{ id: "image-tag", template: "required-label", parameters: { key: "o" } }])).toMatch(/already exists/);
    expect(bad([{ id: "x", template: "required-label", parameters: { key: 3 } }])).toMatch(/must be a string/);
  });

  it("built-in rules that differ only in parameters share one template", () => {
    const byTemplate = (t: string) => engine.rules.filter((r) => r.template === t).map((r) => r.id);
    expect(byTemplate("container-resources")).toEqual(["cpu-limit", "ephemeral-storage", "memory-limit", "resource-requests"]);
    expect(byTemplate("api-lifecycle")).toEqual(["deprecated-api", "removed-api"]);
    expect(byTemplate("image-reference")).toEqual(["image-digest", "image-tag"]);
    expect(byTemplate("run-as")).toEqual(["run-as-group-non-zero", "run-as-non-root", "run-as-user-non-zero"]);
    expect(Object.keys(TEMPLATES)).toEqual(expect.arrayContaining(["required-label", "required-annotation", "disallowed-kind"]));
  });

  it("sets rule parameters per profile", () => {
    const config3 = engine.parseConfig({ profiles: { production: { "min-replicas": { minReplicas: 3 } } } }, "p.yaml");
    const objects = parseManifests(DEPLOYMENT, "x.yaml");
    expect(engine.evaluate(objects).findings.some((f) => f.ruleId === "min-replicas")).toBe(false);
    expect(engine.evaluate(objects, { config: config3 }).findings.some((f) => f.ruleId === "min-replicas")).toBe(true);
    expect(() => engine.parseConfig({ profiles: { production: { "min-replicas": { replicas: 3 } } } }, "p.yaml")).toThrow(/has no parameter "replicas"/);
    expect(() => engine.parseConfig({ profiles: { production: { "min-replicas": { minReplicas: "3" } } } }, "p.yaml")).toThrow(/must be a number/);
  });
});

describe("input", () => {
  it("flattens nested Lists", () => {
    const list = { apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "inner" } }] }, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "outer" } }] };
    expect(parseManifests(JSON.stringify(list), "l.json").map((s) => s.object.metadata?.name)).toEqual(["inner", "outer"]);
  });

  it("reports and skips a non-Kubernetes or unreadable file in a directory, unless strict", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-dir-"));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, "a.yaml"), DEPLOYMENT);
    fs.writeFileSync(path.join(dir, "settings.yaml"), "replicas: 3\n");
    fs.writeFileSync(path.join(dir, "broken.yaml"), "kind: [\n");
    const skipped: string[] = [];
    const objects = readManifests([dir], undefined, { onSkip: (file, reason) => skipped.push(`${path.basename(file)}: ${reason}`) });
    expect(objects.map((o) => o.object.kind)).toEqual(["Deployment"]);
    expect(skipped).toEqual([expect.stringMatching(/^broken\.yaml: line \d+: invalid YAML/), expect.stringMatching(/^settings\.yaml: line 1: not a Kubernetes object/)]);
    expect(() => readManifests([dir], undefined, { strict: true })).toThrow(PolicyInputError);
    // A file named explicitly must be manifests.
    expect(() => readManifests([path.join(dir, "settings.yaml")])).toThrow(/not a Kubernetes object/);
  });
});

describe("scale", () => {
  // Spread arguments overflowed the call stack past ~124,000 objects (input) and ~120,000 findings (text) on Node's
  // default stack (984 KB). The same property at a tenth of the size: 20,000 objects in a process with a 100 KB stack,
  // where a spread of 12,000 arguments already overflows (the size is what is proven here; times are npm run bench's).
  const COUNT = 20_000;
  it("parses, evaluates and reports 20,000 objects in one file on a 100 KB stack (150,000 on the default one)", () => {
    const run = spawnSync(process.execPath, ["--stack-size=100", path.join(import.meta.dirname, "helpers/scale-run.ts"), String(COUNT)], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ objects: COUNT, findings: COUNT, lastLine: expect.stringMatching(new RegExp(`in ${COUNT} object\\(s\\)$`)), jsonObjects: COUNT });
  });

  it("the small stack is small enough: a spread of 15,000 arguments overflows it", () => {
    const run = spawnSync(process.execPath, ["--stack-size=100", "-e", "const a = Array(15000).fill(0); [].push(...a)"], { encoding: "utf8" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/RangeError: Maximum call stack size exceeded/);
  });
});
