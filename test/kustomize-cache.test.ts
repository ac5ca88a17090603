// The content-addressed kustomize build cache: a hit replays output and warnings; any input change misses.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kustomizeBuild } from "../scripts/lib/kustomize.ts";
import { buildKey } from "../scripts/lib/kustomize-cache.ts";

let dir: string;
let cache: string;
const previous = process.env.MCP_STACK_KUSTOMIZE_CACHE_DIR; // restored after: modules and env are shared between test files
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kcache-"));
  cache = fs.mkdtempSync(path.join(os.tmpdir(), "kcache-store-"));
  process.env.MCP_STACK_KUSTOMIZE_CACHE_DIR = cache;
  fs.writeFileSync(path.join(dir, "kustomization.yaml"), "commonLabels:\n  team: a\nresources: [cm.yaml]\n");
  fs.writeFileSync(path.join(dir, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: v}\n");
});
afterAll(() => {
  if (previous === undefined) delete process.env.MCP_STACK_KUSTOMIZE_CACHE_DIR;
  else process.env.MCP_STACK_KUSTOMIZE_CACHE_DIR = previous;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(cache, { recursive: true, force: true });
});

describe("kustomize build cache", () => {
  it("replays the output and the deprecation warnings on a hit", async () => {
    const first = await kustomizeBuild(dir);
    expect(first.warnings).toMatch(/'commonLabels' is deprecated/);
    expect(fs.readdirSync(cache).filter((f) => f.endsWith(".json"))).toHaveLength(1);
    const second = await kustomizeBuild(dir);
    expect(second).toEqual(first);
  });

  it("misses when any file the build reads changes", async () => {
    const key = buildKey(dir, "t");
    fs.writeFileSync(path.join(dir, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: changed}\n");
    expect(buildKey(dir, "t")).not.toBe(key);
    expect((await kustomizeBuild(dir)).yaml).toContain("k: changed");
  });
});
