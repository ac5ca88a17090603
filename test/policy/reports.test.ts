// The three output formats.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluate, RULES } from "../../policy/engine.ts";
import { SARIF_OPTIONS } from "../../policy/run.ts";
import { REPO_ROOT } from "../../scripts/lib/paths.ts";
import { parseManifests, renderJson, renderSarif, renderText } from "@mcp-stack/policy-engine";
import { firstContainer, sources, withDeployment } from "./fixtures.ts";

const report = () =>
  evaluate(
    sources(
      withDeployment((d) => {
        firstContainer(d).image = "nginx:latest";
        d.metadata.annotations = { "policy.mcp-stack.dev/ignore-image-digest": "pinned by the mirror" };
      }),
      "manifests/app.yaml",
    ),
    { profile: "production" },
  );

describe("text", () => {
  it("groups by object, one line per finding with severity, rule, message and path, plus a summary", () => {
    const text = renderText([report()]);
    expect(text).toContain("Deployment app/web  manifests/app.yaml:11");
    expect(text).toMatch(/^ {2}error +image-tag +image nginx:latest of container "web" uses the latest tag {2}\/spec\/template\/spec\/containers\/0\/image \(line 11\)$/m);
    expect(text).toMatch(/exempt .*image-digest.*\[warning, exempted by annotation: pinned by the mirror\]/);
    expect(text.trimEnd().split("\n").at(-1)).toBe("✖ 1 error(s), 0 warning(s), 0 info, 1 exempted in 5 object(s)");
    expect(text).not.toContain("\x1b[");
    expect(renderText([report()], { colour: true })).toContain("\x1b[31m");
  });
});

describe("json", () => {
  it("lists findings with object, file, JSON pointer and exemption, and counts by severity", () => {
    const doc = JSON.parse(renderJson([report()]));
    expect(doc.summary).toEqual({ error: 1, warning: 0, info: 0, exempted: 1, objects: 5 });
    const tag = doc.findings.find((f: { ruleId: string }) => f.ruleId === "image-tag");
    expect(tag).toMatchObject({
      severity: "error",
      object: { apiVersion: "apps/v1", kind: "Deployment", namespace: "app", name: "web" },
      file: "manifests/app.yaml",
      path: "/spec/template/spec/containers/0/image",
      exempted: false,
    });
    expect(doc.findings.find((f: { ruleId: string }) => f.ruleId === "image-digest").exempted).toEqual({ reason: "pinned by the mirror", source: "annotation" });
  });
});

describe("sarif", () => {
  it("is SARIF 2.1.0 with every rule and located results", () => {
    const sarif = JSON.parse(renderSarif([report()], RULES));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const driver = sarif.runs[0].tool.driver;
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const r of driver.rules) {
      expect(r.shortDescription.text).toBeTruthy();
      expect(r.help.text).toContain("Remediation");
      expect(["error", "warning", "note"]).toContain(r.defaultConfiguration.level);
    }
    const results = sarif.runs[0].results;
    expect(results.length).toBe(2);
    for (const res of results) {
      expect(driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(["error", "warning", "note"]).toContain(res.level);
      expect(res.message.text).toBeTruthy();
      expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe("manifests/app.yaml");
      expect(res.locations[0].physicalLocation.region.startLine).toBe(11);
    }
    expect(results.find((r: { ruleId: string }) => r.ruleId === "image-digest").suppressions).toEqual([{ kind: "inSource", justification: "pinned by the mirror" }]);
  });

  it("has an empty results array when clean", () => {
    const sarif = JSON.parse(renderSarif([evaluate([])], RULES));
    expect(sarif.runs[0].results).toEqual([]);
  });
});

describe("sarif locations (issue 18, point 4)", () => {
  const yaml = (image: string, header = "") =>
    `${header}apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  containers:\n    - name: c\n      image: ${image}\n`;
  const sarifOf = (text: string, file: string) => JSON.parse(renderSarif([evaluate(parseManifests(text, file))], RULES, SARIF_OPTIONS));
  const tagResult = (s: { runs: { results: { ruleId: string }[] }[] }) => s.runs[0]!.results.find((r) => r.ruleId === "image-tag") as Record<string, any>;

  it("writes absolute paths as file:// URIs, at the offending field's line, with a helpUri per rule", () => {
    const s = sarifOf(yaml("nginx:latest"), "/tmp/some dir/pod.yaml");
    const loc = tagResult(s).locations[0].physicalLocation;
    expect(loc.artifactLocation.uri).toBe("file:///tmp/some%20dir/pod.yaml");
    expect(loc.region.startLine).toBe(9);
    for (const r of s.runs[0].tool.driver.rules) expect(r.helpUri).toMatch(new RegExp(`README\\.md#policy-rule-${r.id}$`));
  });

  it("gives each result a fingerprint that does not change when lines move", () => {
    const a = tagResult(sarifOf(yaml("nginx:latest"), "pod.yaml"));
    const b = tagResult(sarifOf(yaml("nginx:latest", "# a new comment\n\n"), "pod.yaml"));
    expect(b.locations[0].physicalLocation.region.startLine).toBe(11);
    expect(b.partialFingerprints).toEqual(a.partialFingerprints);
    expect(a.partialFingerprints["policyFinding/v1"]).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("rendered overlays are located at the repository file that holds each object", () => {
  it("finds objects from components/ in their own file, at the field's line", async () => {
    const { evaluateRenderedOverlay } = await import("../../policy/run.ts");
    const { renderOverlay } = await import("../../scripts/lib/render.ts");
    const { loadEnvironments } = await import("../../scripts/lib/overlays.ts");
    const settings = loadEnvironments().get("eks")!;
    const report = evaluateRenderedOverlay("eks", (await renderOverlay("eks", settings)).yaml, { profile: "production" });
    const exporter = report.findings.find((f) => f.object.name === "redis-exporter");
    expect(exporter?.file).toBe("components/monitoring/deployment-redis-exporter.yaml");
    const text = fs.readFileSync(path.join(REPO_ROOT, exporter!.file), "utf8").split("\n");
    // The line holds the last segment of the finding's JSON pointer (a key, or a list item's dash).
    const last = exporter!.path.split("/").at(-1)!;
    expect(text[exporter!.line - 1]).toMatch(/^\d+$/.test(last) ? /^\s*- / : new RegExp(`^\\s*(- )?${last.replace(/~1/g, "/")}:`));
  });
});
