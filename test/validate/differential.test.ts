// Differential test against kubeconform 0.7.0: its fixtures with its acceptance cases, 1,200
// mutations of rendered objects and 2,500 of the wide corpus (differential/wide.ts: type changes at
// every depth, extra fields, nulls, empties, number confusions, quantities, int-or-string, dates,
// enums, apiVersion/kind changes, List kinds, multi-document streams, odd YAML), strict and not, and
// 600 of the YAML syntax corpus (differential/syntax.ts, -strict), compared with the verdicts recorded from a real kubeconform (differential/recorded.json, written by
// differential/record.ts). When a binary is available ($KUBECONFORM or PATH) the corpora are also
// compared live.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { ACCEPTANCE, type Case, HERE, mutations, RECORDED, REPO, schemaLocations, VERSION } from "./differential/corpus.ts";
import { CACHE_DIR } from "../../scripts/lib/paths.ts";
import { compareCases, compareMessages, compareMutations } from "./differential/compare.ts";
import { prepare, runKubeconform, runOurs, SCHEMAS, useWork, WORK, type Outcome } from "./differential/run.ts";
import { MUTATION_COUNT, SYNTAX_MUTATION_COUNT, WIDE_MUTATION_COUNT } from "./differential/size.ts";
import { syntaxMutations } from "./differential/syntax.ts";
import { wideMutations } from "./differential/wide.ts";
import { testCacheDir } from "./helpers.ts";

interface Recorded {
  cases: Record<string, Outcome>;
  mutations: { strict: Outcome; loose: Outcome };
  wide: { strict: Outcome; loose: Outcome };
  syntax: { strict: Outcome };
}

const recorded = JSON.parse(fs.readFileSync(RECORDED, "utf8")) as Recorded;
/** acceptance cases where kubeconform is wrong and we deliberately differ (documented in the package README). */
export const KNOWN_KUBECONFORM_BUGS: Record<string, string> = {};

let locations: string[] = [];
const ours: { cases: Record<string, Outcome>; strict?: Outcome; loose?: Outcome; wideStrict?: Outcome; wideLoose?: Outcome; syntax?: Outcome } = { cases: {} };
/** Mutation texts by the file name the outcomes use. */
let texts: Record<string, string> = {};

/**
 * The corpus folder (schemas, both mutation corpora and their texts), made once and kept in .cache/differential under
 * the hash of everything it is made from: the generators' code and the schemas and objects they read. Regenerating
 * 3,700 mutations and writing them out was a third of this file's time. Made in a folder of its own and renamed into
 * place (never changed after), so concurrent runs share it safely.
 */
function corpusFolder(): string {
  const hash = createHash("sha256");
  const add = (file: string) => hash.update(`${path.relative(REPO, file)}\0`).update(fs.readFileSync(file)).update("\0");
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else add(path.join(dir, e.name));
    }
  };
  for (const f of ["corpus.ts", "wide.ts", "syntax.ts", "size.ts", "run.ts", "source-objects.yaml"]) add(path.join(HERE, f));
  walk(path.join(HERE, "schemas"));
  walk(path.join(REPO, "schemas", `v${VERSION}-standalone-strict`));
  walk(path.join(REPO, "schemas", "crds"));
  const top = path.join(CACHE_DIR, "differential");
  const dir = path.join(top, hash.digest("hex").slice(0, 24));
  if (fs.existsSync(path.join(dir, "texts.json"))) return dir;
  const tmp = `${dir}.${process.pid}.tmp`;
  const previous = useWork(tmp);
  try {
    prepare();
    const made: Record<string, string> = {};
    for (const [sub, list] of [["mutations", mutations(MUTATION_COUNT)], ["wide", wideMutations(WIDE_MUTATION_COUNT)], ["syntax", syntaxMutations(SYNTAX_MUTATION_COUNT)]] as const) {
      fs.mkdirSync(path.join(tmp, sub), { recursive: true });
      for (const m of list) {
        fs.writeFileSync(path.join(tmp, sub, `${m.id}.yaml`), m.text);
        made[`@W/${sub}/${m.id}.yaml`] = m.text;
      }
    }
    fs.writeFileSync(path.join(tmp, "texts.json"), JSON.stringify(made));
  } finally {
    useWork(previous);
  }
  // Older corpora (made from other versions of the generators) go; a concurrent run's finished one is as good as this.
  for (const old of fs.existsSync(top) ? fs.readdirSync(top) : []) {
    if (!old.endsWith(".tmp") && path.join(top, old) !== dir) fs.rmSync(path.join(top, old), { recursive: true, force: true });
  }
  try {
    fs.renameSync(tmp, dir);
  } catch (err) {
    if (!fs.existsSync(path.join(dir, "texts.json"))) throw err;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

let previousWork: string | undefined;
afterAll(() => {
  if (previousWork !== undefined) useWork(previousWork); // run.ts is shared by the test files of this worker
});
beforeAll(async () => {
  const dir = corpusFolder();
  previousWork = useWork(dir);
  locations = schemaLocations(SCHEMAS);
  texts = JSON.parse(fs.readFileSync(path.join(dir, "texts.json"), "utf8")) as Record<string, string>;
  expect(Object.keys(texts)).toHaveLength(MUTATION_COUNT + WIDE_MUTATION_COUNT + SYNTAX_MUTATION_COUNT);
  for (const kase of ACCEPTANCE) ours.cases[kase.id] = await runOurs(kase, locations, testCacheDir);
  ours.strict = await runOurs({ id: "mutations strict", args: ["@S", "-strict", "@W/mutations"] }, locations, testCacheDir);
  ours.loose = await runOurs({ id: "mutations", args: ["@S", "@W/mutations"] }, locations, testCacheDir);
  ours.wideStrict = await runOurs({ id: "wide strict", args: ["@S", "-strict", "@W/wide"] }, locations, testCacheDir);
  ours.wideLoose = await runOurs({ id: "wide", args: ["@S", "@W/wide"] }, locations, testCacheDir);
  ours.syntax = await runOurs({ id: "syntax strict", args: ["@S", "-strict", "@W/syntax"] }, locations, testCacheDir);
}, 360_000);

function report(name: string, a: { total: number; agreed: number; differences: string[]; deviations?: number }): number {
  const share = a.total === 0 ? 1 : a.agreed / a.total;
  const deviations = a.deviations ? `; ${a.deviations} more differ where kubeconform is wrong (documented)` : "";
  console.log(`${name}: ${a.agreed}/${a.total} agree (${(share * 100).toFixed(2)} %)${deviations}`);
  for (const d of a.differences.slice(0, Number(process.env.DIFF_LINES ?? 15))) console.log(`  ${d}`);
  return share;
}

describe("differential: kubeconform 0.7.0 (recorded)", () => {
  it("agrees on every acceptance case and fixture, exit code and statuses", () => {
    const expected = Object.fromEntries(Object.entries(recorded.cases).filter(([id]) => !(id in KNOWN_KUBECONFORM_BUGS)));
    const a = compareCases(expected, ours.cases);
    report("acceptance cases", a);
    expect(a.differences).toEqual([]);
  });

  it("agrees on at least 99.5 % of the mutations' resource statuses, strict and not", () => {
    const strict = report("mutations, -strict", compareMutations(recorded.mutations.strict, ours.strict!, texts));
    const loose = report("mutations", compareMutations(recorded.mutations.loose, ours.loose!, texts));
    const messages = report("messages, -strict", compareMessages(recorded.mutations.strict, ours.strict!, texts));
    expect(strict).toBeGreaterThanOrEqual(0.995);
    expect(loose).toBeGreaterThanOrEqual(0.995);
    expect(messages).toBeGreaterThanOrEqual(0.99);
  });

  it("agrees on at least 99.5 % of the wide corpus's resource statuses, strict and not; messages on at least 99 %", () => {
    const strict = report("wide mutations, -strict", compareMutations(recorded.wide.strict, ours.wideStrict!, texts));
    const loose = report("wide mutations", compareMutations(recorded.wide.loose, ours.wideLoose!, texts));
    const messages = report("wide messages, -strict", compareMessages(recorded.wide.strict, ours.wideStrict!, texts));
    expect(strict).toBeGreaterThanOrEqual(0.995);
    expect(loose).toBeGreaterThanOrEqual(0.995);
    expect(messages).toBeGreaterThanOrEqual(0.99);
  });

  it("agrees on at least 99.5 % of the YAML syntax corpus's resource statuses and messages (-strict)", () => {
    const statuses = report("syntax mutations, -strict", compareMutations(recorded.syntax.strict, ours.syntax!, texts));
    const messages = report("syntax messages, -strict", compareMessages(recorded.syntax.strict, ours.syntax!, texts));
    expect(statuses).toBeGreaterThanOrEqual(0.995);
    expect(messages).toBeGreaterThanOrEqual(0.995);
  });
});

const binary = process.env.KUBECONFORM || "kubeconform";
const live = spawnSync(binary, ["-v"], { stdio: "ignore" }).status === 0;

/**
 * The binary's outcome on a case of the corpus, kept in .cache/differential-live under the hash of the binary's bytes,
 * the corpus folder (itself named by the hash of what it is made from) and the case: the same binary on the same
 * input gives the same outcome (sorted, paths normalised), so it runs again only when one of them changed.
 */
function liveOutcome(kase: Case): Outcome {
  const file = binary.includes("/") ? binary : (process.env.PATH ?? "").split(":").map((d) => path.join(d, binary)).find((f) => fs.existsSync(f));
  if (!file) return runKubeconform(binary, kase, locations);
  const key = createHash("sha256").update(fs.readFileSync(file)).update(`\0${path.basename(WORK)}\0${JSON.stringify(kase)}`).digest("hex");
  const stored = path.join(CACHE_DIR, "differential-live", `${key.slice(0, 32)}.json`);
  if (fs.existsSync(stored)) return JSON.parse(fs.readFileSync(stored, "utf8")) as Outcome;
  const outcome = runKubeconform(binary, kase, locations);
  fs.mkdirSync(path.dirname(stored), { recursive: true });
  fs.writeFileSync(`${stored}.${process.pid}.tmp`, JSON.stringify(outcome));
  fs.renameSync(`${stored}.${process.pid}.tmp`, stored);
  return outcome;
}

describe.skipIf(!live)("differential: kubeconform binary (live)", () => {
  it("agrees with the binary on the mutations as it agrees with the recording", () => {
    const strict = liveOutcome({ id: "mutations strict", args: ["@S", "-strict", "@W/mutations"] });
    expect(report("live mutations, -strict", compareMutations(strict, ours.strict!, texts))).toBeGreaterThanOrEqual(0.995);
    const wide = liveOutcome({ id: "wide strict", args: ["@S", "-strict", "@W/wide"] });
    expect(report("live wide mutations, -strict", compareMutations(wide, ours.wideStrict!, texts))).toBeGreaterThanOrEqual(0.995);
    const syntax = liveOutcome({ id: "syntax strict", args: ["@S", "-strict", "@W/syntax"] });
    expect(report("live syntax mutations, -strict", compareMutations(syntax, ours.syntax!, texts))).toBeGreaterThanOrEqual(0.995);
  });
});
