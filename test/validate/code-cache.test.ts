// Validators loaded with V8's code cache taken after a run (perf/code-cache.ts) give the same
// verdicts and messages as freshly compiled ones and as require()d ones; the cache is written for
// each validator file loaded without one, and used by the next load.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateDocuments, forgetSchemas } from "../../packages/validate/src/index.ts";
import { setCodeCaches } from "../../packages/validate/src/perf/compile-cache.ts";
import { codeCacheStats, requireWithCodeCache, saveCodeCaches } from "../../packages/validate/src/perf/code-cache.ts";
import type { ResourceResult } from "../../packages/validate/src/types.ts";
import { crdsTemplate, fixture, schemasDir, tempDir } from "./helpers.ts";

// The setting this file found, restored after it (the module may be shared with other test files).
const initialCodeCaches = setCodeCaches(true);
setCodeCaches(initialCodeCaches);

afterAll(() => {
  setCodeCaches(initialCodeCaches);
  forgetSchemas();
});

describe("validators with V8's code cache", () => {
  it("give the same results compiled, required and loaded with a cache made after a run", async () => {
    const cacheDir = tempDir();
    const stack = fs.readFileSync(fixture("stack.yaml"), "utf8");
    const broken = stack
      .replace("replicas: 2", "replicas: two")
      .replace("containers:\n", "containers:\n        - {name: extra, image: x, ports: [{containerPort: '80'}], bogus: 1}\n")
      .replace("kind: Service\n", "kind: Service\nextra: field\n");
    expect(broken).not.toBe(stack);
    const inputs = [
      { filename: "stack.yaml", content: stack },
      { filename: "broken.yaml", content: broken },
    ];
    const options = { schemaLocations: [schemasDir, crdsTemplate], kubernetesVersion: "1.36.2", strict: true, cacheDir, workers: 1 };
    const runOnce = async (codeCaches: boolean): Promise<ResourceResult[]> => {
      forgetSchemas(); // validators come from the disk cache (or are compiled, the first time)
      setCodeCaches(codeCaches);
      return (await validateDocuments(inputs, options)).resources;
    };
    const compiled = await runOnce(true);
    const required = await runOnce(false);
    const withoutCache = await runOnce(true); // loaded by vm.Script, no cache yet: one is scheduled
    saveCodeCaches(); // (with a shared module cache, other tests' scheduled caches are written too)
    const files = fs.readdirSync(path.join(cacheDir, "validators"));
    const validators = files.filter((f) => f.endsWith(".cjs"));
    expect(files.filter((f) => f.endsWith(".cjs.v8")).sort()).toEqual(validators.map((f) => `${f}.v8`).sort());
    const used = codeCacheStats.used;
    const withCache = await runOnce(true);
    expect(codeCacheStats.used - used).toBe(validators.length);
    expect(compiled.filter((r) => r.status === "statusInvalid").length).toBeGreaterThanOrEqual(2);
    for (const results of [required, withoutCache, withCache]) expect(results).toEqual(compiled);

    // A cache damaged on disk (same length, bytes flipped in its body) would stop V8 with a fatal check: its
    // checksum refuses it, the validator is compiled from its source, and the cache is written again.
    const v8Files = files.filter((f) => f.endsWith(".cjs.v8")).map((f) => path.join(cacheDir, "validators", f));
    for (const file of v8Files) {
      const bytes = fs.readFileSync(file);
      for (let i = 8; i < bytes.length; i += 97) bytes[i] = bytes[i]! ^ 0xff;
      fs.writeFileSync(file, bytes);
    }
    const usedBefore = codeCacheStats.used;
    const damaged = await runOnce(true);
    expect(codeCacheStats.used - usedBefore).toBe(0);
    expect(damaged).toEqual(compiled);
    const damagedBytes = new Map(v8Files.map((f) => [f, fs.readFileSync(f)]));
    saveCodeCaches();
    for (const file of v8Files) expect(fs.readFileSync(file).equals(damagedBytes.get(file)!)).toBe(false);
  });

  it("a file that may change has its cache named by its content, so an edit of the same length gets its own", () => {
    const dir = tempDir();
    const file = path.join(dir, "module.cjs");
    const caches = path.join(dir, "caches");
    fs.writeFileSync(file, "module.exports = (x) => x + 1;\n");
    expect((requireWithCodeCache(file, caches) as (x: number) => number)(1)).toBe(2);
    saveCodeCaches();
    expect(fs.readdirSync(caches)).toHaveLength(1);
    const used = codeCacheStats.used;
    expect((requireWithCodeCache(file, caches) as (x: number) => number)(1)).toBe(2);
    expect(codeCacheStats.used).toBe(used + 1);
    fs.writeFileSync(file, "module.exports = (x) => x + 2;\n");
    expect((requireWithCodeCache(file, caches) as (x: number) => number)(1)).toBe(3);
    saveCodeCaches();
    expect(fs.readdirSync(caches)).toHaveLength(2);
    expect(fs.existsSync(`${file}.v8`)).toBe(false);
  });
});
