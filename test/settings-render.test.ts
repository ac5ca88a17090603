// Values survive exactly: every string a user writes in any string-valued setting reaches the rendered objects
// (kustomize's output, read as YAML 1.1 reads it) unchanged, whatever YAML 1.1 would make of it; the documented
// `annotations` setting works in every environment. In-process: generate() and kustomize builds of a copy.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse } from "yaml";
import { copyRepo } from "./helpers/repo.ts";
import { at, generateAndRender, mapEntries, merge, settingsText, writeSettings, type Json } from "./helpers/render.ts";
import { parseSettings, settingsFromObject, SettingsError } from "../scripts/settings/load.ts";
import { settingsSchema } from "../scripts/settings/schema.ts";
import { environmentProblems } from "../scripts/settings/environments.ts";
import { buildStack } from "../scripts/stack/index.ts";
import { plain } from "../scripts/generate/emit.ts";
import { generatedNames, normalize } from "../scripts/generate/project.ts";
import { objectId as idOf, type Manifest as Obj } from "../scripts/lib/manifest.ts";
import { TRICKY_STRINGS } from "./helpers/tricky.ts";
import { memoized, textInput } from "../scripts/generate/memo.ts";

const ENVS = ["dev", "minikube", "eks", "manual-pv"];

type Node = { type?: string; enum?: unknown[]; properties?: Record<string, Node>; additionalProperties?: Node | boolean; items?: Node };
type StringSetting = { path: string[]; kind: "scalar" | "map" | "list" };

/** Every string-valued setting in the schema: plain strings, maps of strings and lists of strings. */
function stringSettings(node: Node = settingsSchema as unknown as Node, path: string[] = []): StringSetting[] {
  if (node.type === "string" && !node.enum) return [{ path, kind: "scalar" }];
  if (node.type === "array" && node.items?.type === "string") return [{ path, kind: "list" }];
  if (node.type === "object" && typeof node.additionalProperties === "object" && node.additionalProperties.type === "string") return [{ path, kind: "map" }];
  return Object.entries(node.properties ?? {}).flatMap(([k, child]) => stringSettings(child, [...path, k]));
}

// Hand-written file paths need files in the overlay folder (tests in generate.test.ts and settings-variants).
const SKIPPED = new Set(["extraResources"]);
const SETTINGS = stringSettings().filter((s) => !SKIPPED.has(s.path[0]!));
const KEY = (i: number) => `tricky-${i}`; // a valid label key, annotation key and environment variable name

function valueFor(setting: StringSetting, i: number, v: string): unknown {
  if (setting.kind === "map") return { [KEY(i)]: v };
  if (setting.kind === "list") return [v];
  return v;
}

const originals = new Map<string, string>();
let repo: string;
beforeAll(() => {
  repo = copyRepo({ credentials: "fixed" });
  for (const env of ENVS) originals.set(env, settingsText(repo, env));
});
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));
const restore = (env: string) => fs.writeFileSync(path.join(repo, "overlays", env, "settings.yaml"), originals.get(env)!);

/**
 * Which tricky strings each setting accepts (schema and API-server rules, on top of the defaults): thousands of
 * settings loads, a pure function of the settings code and this file's inputs, so kept in the generate memo (keyed by
 * the hash of the code under scripts/, memo.ts) under the hashes of this file and its helper, and the tricky strings.
 */
let accepted: Map<string, string>;
beforeAll(async () => {
  const source = (url: URL) => textInput(fs.readFileSync(url, "utf8"));
  const inputs = { test: source(new URL(import.meta.url)), helper: source(new URL("./helpers/render.ts", import.meta.url)), tricky: TRICKY_STRINGS, settings: SETTINGS };
  accepted = await memoized("test/settings-render: accepted tricky strings", inputs, async () =>
    new Map(
      SETTINGS.map((setting, i) => [
        setting.path.join("."),
        JSON.stringify(
          TRICKY_STRINGS.filter((v) => {
            try {
              settingsFromObject(at(setting.path, valueFor(setting, i, v)), "x");
              return true;
            } catch {
              return false;
            }
          }),
        ),
      ]),
    ),
  );
});
const acceptedFor = (setting: StringSetting): string[] => JSON.parse(accepted.get(setting.path.join("."))!) as string[];

/** The settings patch for a choice; choices another setting of the environment conflicts with are dropped. */
function patchFor(env: string, choice: Map<number, string>): unknown {
  for (;;) {
    const patch = [...choice].reduce<unknown>((acc, [i, v]) => merge(acc, at(SETTINGS[i]!.path, valueFor(SETTINGS[i]!, i, v))), {});
    try {
      settingsFromObject(merge(parse(originals.get(env)!) ?? {}, patch), "x");
      return patch;
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      // A cross-key rule names one of the keys: drop the choices under the same parent object.
      const parents = err.problems.map((p) => p.path.split(".").slice(0, -1).join("."));
      const conflicting = [...choice.keys()].filter((i) => parents.some((p) => SETTINGS[i]!.path.join(".").startsWith(p)));
      if (conflicting.length === 0) throw err;
      for (const i of conflicting) choice.delete(i);
    }
  }
}

/** Model objects of an environment (no local credential Secrets), hash suffixes stripped. */
function model(text: string): Map<string, Obj> {
  const stack = buildStack({ settings: parseSettings(text, "x") }).filter((o) => !o.localCredentials);
  const objects = normalize(stack.map((o) => plain(o.object) as Obj), generatedNames(stack));
  return new Map(objects.map((o) => [idOf(o), o]));
}

/** Every string leaf of an object, with its JSON path. */
function leaves(o: unknown, p: string[] = []): [string[], string][] {
  if (typeof o === "string") return [[p, o]];
  if (Array.isArray(o)) return o.flatMap((x, i) => leaves(x, [...p, String(i)]));
  if (o && typeof o === "object") return Object.entries(o).flatMap(([k, v]) => leaves(v, [...p, k]));
  return [];
}

/**
 * Applies each environment's `choice` (setting index -> tricky string) to its settings.yaml, generates the tree once and
 * renders those environments; then, per environment, every model leaf that carries a chosen value is byte-identical in
 * kustomize's output. Returns, per environment, the comparison: it asserts and returns how many leaves matched.
 */
async function renderedUnchanged(choices: Map<string, Map<number, string>>): Promise<Map<string, () => number>> {
  for (const [env, choice] of choices) writeSettings(repo, env, originals.get(env)!, patchFor(env, choice));
  try {
    const texts = new Map([...choices.keys()].map((env) => [env, settingsText(repo, env)]));
    const rendered = await generateAndRender(repo, [...choices.keys()]);
    return new Map([...choices].map(([env, choice]) => [env, () => compare(env, choice, texts.get(env)!, rendered.get(env)!)]));
  } finally {
    for (const env of choices.keys()) restore(env);
  }
}

function compare(env: string, choice: Map<number, string>, text: string, rendered: Json[]): number {
  const wanted = model(text);
  const names = generatedNames(buildStack({ settings: parseSettings(text, "x") }));
  const renderedById = new Map(normalize(rendered as Obj[], names).map((o) => [idOf(o), o]));
  const values = new Set(choice.values());
  let compared = 0;
  for (const [id, o] of wanted) {
    const got = renderedById.get(id);
    for (const [p, v] of leaves(o)) {
      if (![...values].some((x) => x !== "" && v.includes(x)) && !(values.has("") && v === "")) continue;
      expect(got, `${env}: ${id} is not rendered`).toBeDefined();
      const renderedLeaf = p.reduce<unknown>((x, k) => (x as Json | undefined)?.[k], got);
      expect(renderedLeaf, `${env}: ${id} /${p.join("/")}`).toBe(v);
      compared++;
    }
  }
  // Map settings: the entry itself arrived (key and exact value), wherever that map renders.
  for (const [i, v] of choice) {
    if (SETTINGS[i]!.kind !== "map") continue;
    for (const o of wanted.values()) {
      for (const e of mapEntries(o, KEY(i))) {
        expect(e.value, `${env}: ${SETTINGS[i]!.path.join(".")} at ${idOf(o)}${e.path}`).toBe(v);
      }
    }
  }
  return compared;
}

/** Every tricky string goes into some setting that accepts it, in every environment (deterministic). */
function deterministicChoice(env: string): Map<number, string> {
  const choice = new Map<number, string>();
  let next = ENVS.indexOf(env) * 7;
  SETTINGS.forEach((s, i) => {
    const pool = acceptedFor(s);
    if (pool.length) choice.set(i, pool[next++ % pool.length]!);
  });
  return choice;
}

// The four environments' deterministic choices are generated and rendered together, once (one generate run instead
// of four); each environment's comparison is its own test.
let allEnvs: Promise<Map<string, () => number>> | undefined;

describe("string-valued settings", () => {
  it("the schema has string-valued settings of every kind to test", () => {
    expect(SETTINGS.filter((s) => s.kind === "map").length).toBeGreaterThan(10);
    expect(SETTINGS.filter((s) => s.kind === "scalar").length).toBeGreaterThan(20);
    expect(SETTINGS.map((s) => s.path.join("."))).toEqual(expect.arrayContaining(["annotations", "gateway.serviceAnnotations", "gateway.config", "monitoring.grafanaFolder", "gateway.image.tag"]));
  });

  it.each(ENVS)("%s: tricky strings in every string-valued setting render unchanged", async (env) => {
    const choice = deterministicChoice(env);
    // The free-form maps take every tricky string over the four environments.
    expect(new Set(choice.values()).size).toBeGreaterThan(20);
    allEnvs ??= renderedUnchanged(new Map(ENVS.map((e) => [e, deterministicChoice(e)])));
    expect((await allEnvs).get(env)!()).toBeGreaterThan(50);
  }, 300_000);

  it("random tricky strings in random settings render unchanged (property)", async () => {
    const arbitraries = SETTINGS.map((s, i) => {
      const pool = acceptedFor(s);
      return pool.length ? fc.option(fc.constantFrom(...pool), { nil: undefined }) : fc.constant(undefined);
    });
    // Two random choices per run, in two different environments generated and rendered together (one generate run for
    // both): the two samples the property drew before, at half the cost.
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(ENVS, { minLength: 2, maxLength: 2 }), fc.tuple(...arbitraries), fc.tuple(...arbitraries), async (envs, first, second) => {
        const choices = new Map(
          envs.map((env, n) => {
            const choice = new Map<number, string>();
            (n === 0 ? first : second).forEach((v, i) => v !== undefined && choice.set(i, v));
            return [env, choice] as const;
          }),
        );
        // Two environments drawing the same host (or other identity) is a refused setting, not a value that did not
        // survive: such draws are skipped (a fixed one failed once: both hosts 2001-12-14).
        const patched = new Map(ENVS.map((env) => [env, settingsFromObject(merge(parse(originals.get(env)!) ?? {}, choices.has(env) ? patchFor(env, choices.get(env)!) : {}), env)] as const));
        fc.pre(environmentProblems(patched).length === 0);
        const compare = await renderedUnchanged(choices);
        for (const env of envs) compare.get(env)!();
      }),
      { numRuns: 1, endOnFailure: true },
    );
  }, 300_000);
});

describe("annotations (documented: extra annotations on every object)", () => {
  it("annotations: {team: platform} renders on every object and pod template in every environment", async () => {
    for (const env of ENVS) writeSettings(repo, env, originals.get(env)!, { annotations: { team: "platform", "example.com/owner": "y" } });
    try {
      const rendered = await generateAndRender(repo, ENVS);
      for (const [env, objects] of rendered) {
        expect(objects.length).toBeGreaterThan(10);
        for (const o of objects) {
          const meta = o.metadata as { annotations?: Record<string, unknown>; name: string };
          expect(meta.annotations, `${env}: ${o.kind}/${meta.name}`).toMatchObject({ team: "platform", "example.com/owner": "y" });
          const spec = o.spec as { template?: { metadata?: { annotations?: object } }; jobTemplate?: { spec: { template: { metadata?: { annotations?: object } } } } } | undefined;
          const template = spec?.template ?? spec?.jobTemplate?.spec.template;
          if (template && o.kind !== "PodDisruptionBudget") {
            expect(template.metadata?.annotations, `${env}: ${o.kind}/${meta.name} pod template`).toMatchObject({ team: "platform", "example.com/owner": "y" });
          }
        }
      }
    } finally {
      for (const env of ENVS) restore(env);
    }
  }, 300_000);
});
