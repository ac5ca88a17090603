import fs from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { buildCorpus } from "../../scripts/validate/bench.ts";
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
