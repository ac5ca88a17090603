// Engine behaviour: exemptions, profiles, configuration, ordering, input parsing, robustness.
import { describe, expect, it } from "vitest";
import { parseManifests, PolicyInputError as InputError, PolicyUsageError as UsageError } from "@mcp-stack/policy-engine";
import { engine, evaluate, hasBlockingFindings } from "../../policy/engine.ts";
import { deployment, firstContainer, secret, sources, withDeployment, type Obj } from "./fixtures.ts";

const config = (doc: unknown) => engine.parseConfig(doc, "policy/config.yaml");
const unpinned = () => withDeployment((d) => (firstContainer(d).image = "nginx:1.27"));

describe("exemptions", () => {
  it("an annotation with a reason exempts the object and the report still lists it", () => {
    const set = withDeployment((d) => {
      firstContainer(d).image = "nginx:1.27";
      d.metadata.annotations = { "policy.mcp-stack.dev/ignore-image-digest": "official image, tag-pinned" };
    });
    const report = evaluate(sources(set));
    const f = report.findings.find((x) => x.ruleId === "image-digest");
    expect(f?.exempted).toEqual({ reason: "official image, tag-pinned", source: "annotation" });
    expect(report.summary).toMatchObject({ warning: 0, exempted: 1 });
  });

  it("an annotation without a reason exempts nothing and is itself an error", () => {
    const set = withDeployment((d) => {
      firstContainer(d).image = "nginx:1.27";
      d.metadata.annotations = { "policy.mcp-stack.dev/ignore-image-digest": " " };
    });
    const findings = evaluate(sources(set)).findings;
    expect(findings.find((x) => x.ruleId === "image-digest")?.exempted).toBeUndefined();
    expect(findings.find((x) => x.ruleId === "exemption-reason")).toMatchObject({ severity: "error", message: expect.stringContaining("needs a reason") });
    expect(hasBlockingFindings(findings)).toBe(true);
  });

  it("annotations on the pod template do not exempt (only the object's own metadata)", () => {
    const set = withDeployment((d) => {
      firstContainer(d).image = "nginx:1.27";
      d.spec.template.metadata.annotations = { "policy.mcp-stack.dev/ignore-image-digest": "wrong place" };
    });
    expect(evaluate(sources(set)).findings.find((x) => x.ruleId === "image-digest")?.exempted).toBeUndefined();
  });

  it("a config entry exempts by kind, name glob, namespace and overlay", () => {
    const cfg = config({ exemptions: [{ rule: "image-digest", kind: "Deployment", name: "w*", namespace: "app", overlay: "eks", reason: "tracked in #12" }] });
    const withOverlay = evaluate(sources(unpinned()), { config: cfg, overlay: "eks" }).findings.find((x) => x.ruleId === "image-digest");
    expect(withOverlay?.exempted).toEqual({ reason: "tracked in #12", source: "config" });
    const otherOverlay = evaluate(sources(unpinned()), { config: cfg, overlay: "dev", profile: "production" }).findings.find((x) => x.ruleId === "image-digest");
    expect(otherOverlay?.exempted).toBeUndefined();
    const explicitFiles = evaluate(sources(unpinned()), { config: cfg }).findings.find((x) => x.ruleId === "image-digest");
    expect(explicitFiles?.exempted).toBeUndefined();
  });

  it("a config entry without a reason is an input error naming the key", () => {
    expect(() => config({ exemptions: [{ rule: "image-digest", kind: "Deployment" }] })).toThrowError(InputError);
    try {
      config({ exemptions: [{ rule: "image-digest", reason: "" }] });
    } catch (err) {
      expect((err as InputError).format()).toBe("policy/config.yaml: exemptions[0].reason: an exemption needs a reason (expected a non-empty string)");
    }
    expect(() => config({ exemptions: [{ rule: "no-such-rule", reason: "x" }] })).toThrow(/unknown rule/);
    expect(() => config({ exemptons: [] })).toThrow(/unknown key/);
  });

  it("config can change a rule's severity per profile", () => {
    const cfg = config({ profiles: { production: { "image-digest": "error" } } });
    expect(evaluate(sources(unpinned()), { config: cfg }).findings.find((x) => x.ruleId === "image-digest")?.severity).toBe("error");
    expect(() => config({ profiles: { production: { "image-digest": "fatal" } } })).toThrow(/invalid severity/);
  });
});

describe("profiles", () => {
  const relaxed = () => [
    ...withDeployment((d) => {
      d.spec.replicas = 1;
      firstContainer(d).image = "nginx:1.27";
    }),
    secret("local", { PASSWORD: "Vq7rT2mX9pLs4Kd8" }),
  ];

  it("dev relaxes HA and digest pinning and reports local Secrets as info", () => {
    const dev = evaluate(sources(relaxed()), { profile: "dev" }).findings;
    expect(dev.map((f) => `${f.ruleId}:${f.severity}`)).toEqual(["no-secret-data:info"]);
    const prod = evaluate(sources(relaxed()), { profile: "production" }).findings;
    expect(prod.map((f) => `${f.ruleId}:${f.severity}`).sort()).toEqual(["image-digest:warning", "min-replicas:warning", "no-secret-data:error"]);
  });

  it("production is the default (strictest) profile", () => {
    expect(evaluate(sources(relaxed())).profile).toBe("production");
  });

  it("an unknown profile or Kubernetes version is a usage error", () => {
    expect(() => evaluate([], { profile: "staging" })).toThrow(UsageError);
    expect(() => evaluate([], { kubernetesVersion: "latest" })).toThrow(UsageError);
  });

  it("the target Kubernetes version decides deprecated versus removed", () => {
    const hpa: Obj = { apiVersion: "autoscaling/v2beta2", kind: "HorizontalPodAutoscaler", metadata: { name: "h", namespace: "app" }, spec: {} };
    const ids = (v: string) => evaluate(sources([hpa]), { kubernetesVersion: v }).findings.map((f) => f.ruleId).filter((id) => id.endsWith("-api"));
    expect(ids("1.22")).toEqual([]);
    expect(ids("1.25")).toEqual(["deprecated-api"]);
    expect(ids("1.36.2")).toEqual(["removed-api"]);
  });
});

describe("ordering and robustness", () => {
  it("orders findings by input order, then rule id", () => {
    const a = deployment("a");
    const b = deployment("b");
    for (const d of [a, b]) delete firstContainer(d).securityContext;
    const findings = evaluate(sources([b, a])).findings;
    const names = findings.map((f) => f.object.name);
    expect(names.indexOf("a")).toBeGreaterThan(names.lastIndexOf("b"));
    const rulesOfB = findings.filter((f) => f.object.name === "b").map((f) => f.ruleId);
    expect(rulesOfB).toEqual([...rulesOfB].sort());
  });

  it("never crashes on malformed objects of any kind", () => {
    const junk: Obj[] = [];
    const kinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod", "Service", "Ingress", "NetworkPolicy",
      "PodDisruptionBudget", "HorizontalPodAutoscaler", "PersistentVolume", "PersistentVolumeClaim", "Secret", "ConfigMap", "ServiceAccount"];
    const shapes: unknown[] = [undefined, null, 3, "x", [], {}, { template: "x", selector: 7, ports: "p", rules: [null], tls: {}, containers: [null, 1] },
      { template: { spec: { containers: [{ env: [null, { name: 1 }], ports: [{}], securityContext: "x", resources: 3 }], volumes: [null, "x"] } } },
      { jobTemplate: { spec: { template: { spec: { containers: "c" } } } }, data: "d", capacity: 1, accessModes: "RWO", scaleTargetRef: null }];
    for (const kind of kinds) for (const spec of shapes) junk.push({ apiVersion: "v1", kind, metadata: { name: kind, annotations: { "policy.mcp-stack.dev/ignore-x": 1 } }, spec, data: spec, stringData: spec });
    junk.push({ apiVersion: "v1", kind: "Pod" }, { apiVersion: "v1", kind: "Pod", metadata: null, spec: { containers: [{ image: "" }] } });
    expect(() => evaluate(sources(junk), { profile: "production" })).not.toThrow();
  });
});

describe("input", () => {
  it("splits documents and records the line each object starts on", () => {
    const text = "# header\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\n---\n# c\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n";
    expect(parseManifests(text, "f.yaml").map((s) => [s.object.metadata?.name, s.line])).toEqual([["a", 3], ["b", 10]]);
  });

  it("handles CRLF line ends and content on the marker line", () => {
    const text = "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: a}\r\n---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: b}\r\n--- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\r\n";
    expect(parseManifests(text, "f.yaml").map((s) => [s.object.metadata?.name, s.line])).toEqual([["a", 1], ["b", 5], ["c", 8]]);
  });

  it("flattens List objects", () => {
    const text = "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n";
    expect(parseManifests(text, "f.yaml").map((s) => s.object.metadata?.name)).toEqual(["a", "b"]);
  });

  it("reports invalid YAML and non-objects with the file and line", () => {
    expect(() => parseManifests("apiVersion: v1\nkind: [\n", "bad.yaml")).toThrow(InputError);
    try {
      parseManifests("a: 1\n---\nkind: ConfigMap\napiVersion: v1\n", "bad.yaml");
    } catch (err) {
      expect((err as InputError).format()).toMatch(/^bad\.yaml:1: not a Kubernetes object/);
    }
  });
});

describe("schema rules", () => {
  it("the engine's own schemas are valid JSON Schema (they are compiled without ajv's meta-schema check)", async () => {
    const { Ajv } = await import("ajv");
    const { BUILTIN_RULES } = await import("@mcp-stack/policy-engine");
    const schemas = BUILTIN_RULES.flatMap((r) => ("schema" in r ? [r.schema] : []));
    expect(schemas.length).toBeGreaterThan(0);
    const ajv = new Ajv({ strict: false });
    for (const schema of schemas) expect(ajv.validateSchema(schema)).toBe(true);
  });

  it("the built-in schema rules run their committed standalone validators, with ajv's verdicts and errors", async () => {
    const { Ajv } = await import("ajv");
    const { BUILTIN_RULES } = await import("@mcp-stack/policy-engine");
    const { precompiledValidator, TRUSTED_AJV_OPTIONS } = await import("../../packages/policy-engine/src/builtin-schemas.ts");
    const rules = BUILTIN_RULES.filter((r) => "schema" in r);
    const ajv = new Ajv(TRUSTED_AJV_OPTIONS);
    const objects: unknown[] = [deployment(), { kind: "PodDisruptionBudget", metadata: { namespace: "default" }, spec: {} }, { metadata: {} }, {}, { metadata: { namespace: "" } }, "x", null];
    for (const rule of rules) {
      const committed = precompiledValidator(rule);
      expect(committed, rule.id).toBeDefined();
      const fresh = ajv.compile(rule.schema);
      for (const object of objects) {
        expect(committed!(object), `${rule.id} on ${JSON.stringify(object)}`).toBe(fresh(object));
        expect(committed!.errors ?? null).toEqual(fresh.errors ?? null);
      }
    }
  });

  it("a schema rule whose schema is not the one committed is compiled by ajv", async () => {
    const { BUILTIN_RULES } = await import("@mcp-stack/policy-engine");
    const { precompiledValidator } = await import("../../packages/policy-engine/src/builtin-schemas.ts");
    const rule = BUILTIN_RULES.find((r) => "schema" in r)!;
    expect(precompiledValidator({ ...rule, schema: { ...("schema" in rule ? rule.schema : {}), required: [] } } as never)).toBeUndefined();
    expect(precompiledValidator({ ...rule, id: "not-built-in" } as never)).toBeUndefined();
  });

  it("a plugin's invalid schema is still refused by ajv's meta-schema check", async () => {
    const { createEngine } = await import("@mcp-stack/policy-engine");
    const bad = createEngine({
      plugins: [{ name: "bad", rules: [{ id: "bad-schema", title: "t", category: "security", severity: "error", rationale: "r", remediation: "r", message: "m", kinds: ["Deployment"], schema: { type: "no-such-type" } }] }],
    } as never);
    expect(() => bad.evaluate(sources([deployment()]))).toThrow(/schema is invalid/);
  });
});
