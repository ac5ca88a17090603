// Field lines: the indentation walk agrees with yaml's own positions on every field of real manifests
// (this repository's generated files), and findings land on the offending field's line.
import { describe, expect, it } from "vitest";
import { createEngine, parseManifests } from "../src/index.ts";
import { locateBothWays } from "../src/locate.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

const REPO = path.resolve(import.meta.dirname, "../../..");

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(e.name) ? [full] : [];
  });
}

function pointers(v: unknown, at = ""): string[] {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pointers(x, `${at}/${i}`)));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push(...pointers(x, `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`));
  return out;
}

describe("field lines", () => {
  it("the indentation walk agrees with yaml's positions on every field of the generated manifests", () => {
    let compared = 0;
    for (const file of ["base", "components"].flatMap((d) => yamlFiles(path.join(REPO, d)))) {
      const text = fs.readFileSync(file, "utf8");
      for (const chunk of text.split(/^---$/m)) {
        let docs;
        try {
          docs = parseManifests(chunk, file, { lenient: true });
        } catch {
          continue;
        }
        const locate = locateBothWays(chunk);
        for (const d of docs) {
          for (const p of pointers(d.object).slice(0, 400)) {
            const { fast, exact } = locate(p);
            if (fast === undefined) continue;
            expect(fast, `${path.relative(REPO, file)} ${p}`).toBe(exact);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it("falls back to the yaml parser for flow style and still finds the line", () => {
    const text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: c, image: \"nginx:latest\"}]\n";
    const finding = createEngine().evaluate(parseManifests(text, "p.yaml")).findings.find((f) => f.ruleId === "image-tag");
    expect(finding?.line).toBe(5);
  });

  it("puts a finding on the line of the offending field, inside Lists too", () => {
    const deployment = (image: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          securityContext:\n            privileged: true\n          image: ${image}\n`;
    const findings = createEngine().evaluate(parseManifests("# header\n---\n" + deployment("nginx:latest"), "d.yaml")).findings;
    expect(findings.find((f) => f.ruleId === "image-tag")).toMatchObject({ line: 15, objectLine: 3 });
    expect(findings.find((f) => f.ruleId === "not-privileged")?.line).toBe(14);
    const list = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: { name: p, namespace: shop }\n    spec:\n      containers:\n        - name: c\n          image: nginx:latest\n`;
    const inList = createEngine().evaluate(parseManifests(list, "l.yaml")).findings.find((f) => f.ruleId === "image-tag");
    expect(inList).toMatchObject({ line: 10, objectLine: 4 });
  });
});
