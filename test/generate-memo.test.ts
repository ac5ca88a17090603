// The generator's memo (scripts/generate/memo.ts) and the settings validator as generated code
// (scripts/settings/validator.ts): both only make things faster, so each is proven to give what the slow path gives.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Ajv } from "ajv";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../scripts/generate/run.ts";
import { codeFingerprint, memoized } from "../scripts/generate/memo.ts";
import { REPO_ROOT } from "../scripts/lib/paths.ts";
import { copyRepo } from "./helpers/repo.ts";
import { listOverlays } from "../scripts/lib/targets.ts";
import { settingsSchema } from "../scripts/settings/schema.ts";
import { compileValidatorModule, plannedValidatorModule, schemaFingerprint, SETTINGS_AJV_OPTIONS, VALIDATOR_FILE } from "../scripts/settings/validator.ts";
import { settingsFromObject, SettingsError } from "../scripts/settings/load.ts";
import { createRequire } from "node:module";

const saved = { dir: process.env.MCP_STACK_GENERATE_CACHE_DIR, off: process.env.MCP_STACK_GENERATE_CACHE };
let cache: string;
beforeAll(() => {
  cache = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-generate-memo-"));
});
afterEach(() => {
  for (const [key, value] of [["MCP_STACK_GENERATE_CACHE_DIR", saved.dir], ["MCP_STACK_GENERATE_CACHE", saved.off]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});
afterAll(() => fs.rmSync(cache, { recursive: true, force: true }));

describe("generate's memo", () => {
  it("computes a part once per inputs, again for other inputs, and never stores a failure", async () => {
    process.env.MCP_STACK_GENERATE_CACHE_DIR = path.join(cache, "unit");
    let runs = 0;
    const compute = async () => new Map([["a.yaml", `run ${++runs}`]]);
    expect([...(await memoized("part", { x: 1 }, compute))]).toEqual([["a.yaml", "run 1"]]);
    expect([...(await memoized("part", { x: 1 }, compute))]).toEqual([["a.yaml", "run 1"]]);
    expect([...(await memoized("part", { x: 2 }, compute))]).toEqual([["a.yaml", "run 2"]]);
    expect([...(await memoized("other", { x: 1 }, compute))]).toEqual([["a.yaml", "run 3"]]);
    const failing = async (): Promise<Map<string, string>> => {
      runs++;
      throw new Error("bad settings");
    };
    await expect(memoized("part", { x: 3 }, failing)).rejects.toThrow("bad settings");
    await expect(memoized("part", { x: 3 }, failing)).rejects.toThrow("bad settings");
    expect(runs).toBe(5);
    process.env.MCP_STACK_GENERATE_CACHE = "0";
    expect([...(await memoized("part", { x: 1 }, compute))]).toEqual([["a.yaml", "run 6"]]);
  });

  it("the code fingerprint covers the generator's source and the lockfile", () => {
    expect(codeFingerprint()).toMatch(/^[0-9a-f]{64}$/);
  });

  /** The tree planned in full into a fresh memo, once for both tests below (each only reads the memo it filled). */
  let planned: ReturnType<typeof generate> | undefined;
  const plannedInFull = () => {
    process.env.MCP_STACK_GENERATE_CACHE_DIR = path.join(cache, "plan");
    return (planned ??= generate(REPO_ROOT, { check: true }));
  };

  it("a plan from the memo is the plan computed in full, file for file", async () => {
    const first = await plannedInFull();
    expect(fs.readdirSync(path.join(cache, "plan")).length).toBeGreaterThan(2);
    const fromMemo: string[] = [];
    const again = await generate(REPO_ROOT, { check: true, onEnvironmentFromMemo: (env) => fromMemo.push(env) });
    process.env.MCP_STACK_GENERATE_CACHE = "0";
    const plannedAgain: string[] = [];
    const full = await generate(REPO_ROOT, { check: true, onEnvironmentFromMemo: (env) => plannedAgain.push(env) });
    // Every environment from the memo the second time (the gate then stops its prefetched builds), none with it off.
    expect(fromMemo.sort()).toEqual(listOverlays(path.join(REPO_ROOT, "overlays")).sort());
    expect(plannedAgain).toEqual([]);
    expect([...again.plan]).toEqual([...full.plan]);
    expect([...first.plan]).toEqual([...full.plan]);
    expect(again.drift).toEqual(full.drift);
  });

  it("a clone that never ran generate (no local credentials) plans --check from the memo the second time, writing none", async () => {
    const root = copyRepo();
    try {
      process.env.MCP_STACK_GENERATE_CACHE_DIR = path.join(cache, "fresh-clone");
      const first = await generate(root, { check: true });
      const fromMemo: string[] = [];
      const again = await generate(root, { check: true, onEnvironmentFromMemo: (env) => fromMemo.push(env) });
      // --check's throwaway credential values are new every run; the memo keys them as "fresh", not by value.
      expect(fromMemo.sort()).toEqual(listOverlays(path.join(root, "overlays")).sort());
      expect(again.drift).toEqual(first.drift);
      expect(fs.readdirSync(path.join(root, "overlays")).filter((env) => fs.existsSync(path.join(root, "overlays", env, "credentials")))).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("check --changed of one cluster: its plan from the memo (stored by the full plan) is the plan computed anew", async () => {
    const cluster = fs.readdirSync(path.join(REPO_ROOT, "clusters/eks")).sort()[0]!;
    const scope = { envs: new Set<string>(), clusters: new Map([["eks", new Set([cluster])]]) };
    await plannedInFull();
    const stored = fs.readdirSync(path.join(cache, "plan")).length;
    const fromMemo = await generate(REPO_ROOT, { check: true, scope });
    expect(fs.readdirSync(path.join(cache, "plan")).length).toBe(stored); // a hit: nothing new was planned
    process.env.MCP_STACK_GENERATE_CACHE = "0";
    const anew = await generate(REPO_ROOT, { check: true, scope });
    expect([...fromMemo.plan].filter(([f]) => f.startsWith("clusters/")).length).toBeGreaterThan(1);
    expect([...fromMemo.plan]).toEqual([...anew.plan]);
    expect(fromMemo.drift).toEqual(anew.drift);
  });
});

describe("the settings validator as generated code", () => {
  const generated = createRequire(import.meta.url)(path.join(REPO_ROOT, VALIDATOR_FILE)) as ((data: unknown) => boolean) & { errors?: unknown[]; fingerprint: string };
  const compiled = new Ajv(SETTINGS_AJV_OPTIONS).compile(settingsSchema);
  const cases: unknown[] = [
    {},
    { profile: "staging", namespace: "Bad_Name", gateway: { hpa: { minReplicas: "two" } } },
    { unknownKey: 1, ingress: { host: 7, tls: { enabled: "yes" } } },
    { postgres: { persistence: { size: 5 } }, clusters: [{ name: "UPPER" }] },
  ];

  it("is compiled from the current schema (generate --check reports it otherwise)", () => {
    expect(generated.fingerprint).toBe(schemaFingerprint());
    expect(fs.readFileSync(path.join(REPO_ROOT, VALIDATOR_FILE), "utf8").split("\n")[0]).toMatch(/^\/\/ Generated by `npm run generate`/);
  });

  it("gives ajv's own verdicts, errors and defaults", () => {
    for (const data of cases) {
      const a = structuredClone(data);
      const b = structuredClone(data);
      expect(generated(a)).toBe(compiled(b));
      expect(a).toEqual(b); // defaults filled in alike
      const shape = (errors: unknown) => (errors as { instancePath: string; keyword: string; message?: string; params: unknown; parentSchema?: unknown }[] | null | undefined)?.map((e) => [e.instancePath, e.keyword, e.message, e.params, e.parentSchema]) ?? null;
      expect(shape(generated.errors)).toEqual(shape(compiled.errors));
    }
    expect(() => settingsFromObject(cases[1], "x.yaml")).toThrow(SettingsError);
  });

  it("a hand-edited module is drift: the plan compiles it again", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-validator-"));
    try {
      const file = path.join(root, VALIDATOR_FILE);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const committed = fs.readFileSync(path.join(REPO_ROOT, VALIDATOR_FILE), "utf8");
      fs.writeFileSync(file, committed);
      expect(plannedValidatorModule(root)).toBe(committed);
      fs.writeFileSync(file, committed.replace("validate10", "validate11"));
      expect(plannedValidatorModule(root)).toBe(compileValidatorModule());
      expect(compileValidatorModule()).toBe(committed);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
