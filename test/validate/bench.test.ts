import fs from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { alternate, buildCorpus, formatRow } from "../../scripts/validate/bench.ts";
import { validatePaths } from "../../scripts/validate/engine.ts";
import { fixture, tempDir, testCacheDir } from "./helpers.ts";

describe("buildCorpus", () => {
  it("writes the requested number of resources with unique names, all still valid", async () => {
    const out = path.join(tempDir(), "corpus");
    const corpus = buildCorpus(250, out, [fs.readFileSync(fixture("stack.yaml"), "utf8")]);
    expect(corpus.resources).toBe(250);
    expect(corpus.files).toHaveLength(3);
    const docs = corpus.files.flatMap((f) => yaml.loadAll(fs.readFileSync(f, "utf8"))) as { kind: string; metadata: { name: string; namespace?: string } }[];
    expect(docs).toHaveLength(250);
    const keys = docs.map((d) => `${d.kind}/${d.metadata.namespace ?? ""}/${d.metadata.name}`);
    expect(new Set(keys).size).toBe(250);
    const report = await validatePaths([out], { cacheDir: testCacheDir, workers: 1 });
    expect(report.summary).toEqual({ valid: 250, invalid: 0, errors: 0, skipped: 0 });
  });
});

describe("formatRow", () => {
  it("prints each ratio against its target, the memory target at 10,000 resources and both CPU times", () => {
    const met = formatRow({ input: "10,000 resources", oursMs: 800, kubeconformMs: 1700, oursKb: 90 * 1024, kubeconformKb: 51 * 1024, oursCpuMs: 790, kubeconformCpuMs: 2900 });
    expect(met).toMatch(/^10,000 resources +0\.80 s +1\.70 s +0\.47 +<= 0\.5 ok {2}90 MB \/ 51 MB \(1\.76x, target 2x ok\) {2}cpu 0\.79 s \/ 2\.90 s$/);
    const missed = formatRow({ input: "50,000 resources", oursMs: 2500, kubeconformMs: 8000, oursKb: 200 * 1024, kubeconformKb: 56 * 1024 });
    expect(missed).toMatch(/ 0\.31 +<= 0\.3 MISSED /);
    expect(missed).toContain("(3.57x)");
    expect(missed).not.toContain("cpu");
  });
});

describe("alternate", () => {
  it("takes the two sides' runs in turn, so the machine's speed changes fall on both", () => {
    const order: string[] = [];
    const [ours, theirs] = alternate(3, () => (order.push("ours"), order.length), () => (order.push("kubeconform"), order.length));
    expect(order).toEqual(["ours", "kubeconform", "ours", "kubeconform", "ours", "kubeconform"]);
    expect(ours).toEqual([1, 3, 5]);
    expect(theirs).toEqual([2, 4, 6]);
    expect(alternate(2, () => "x")).toEqual([["x", "x"], []]);
  });
});
