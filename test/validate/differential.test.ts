// Differential test against kubeconform 0.7.0: its fixtures with its acceptance cases, 1,200
// mutations of rendered objects and 2,500 of the wide corpus (differential/wide.ts: type changes at
// every depth, extra fields, nulls, empties, number confusions, quantities, int-or-string, dates,
// enums, apiVersion/kind changes, List kinds, multi-document streams, odd YAML), strict and not,
// compared with the verdicts recorded from a real kubeconform (differential/recorded.json, written by
// differential/record.ts). When a binary is available ($KUBECONFORM or PATH) both corpora are also
// compared live.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCEPTANCE, mutations, RECORDED } from "./differential/corpus.ts";
import { compareCases, compareMessages, compareMutations } from "./differential/compare.ts";
import { prepare, runKubeconform, runOurs, WORK, type Outcome } from "./differential/run.ts";
import { MUTATION_COUNT, WIDE_MUTATION_COUNT } from "./differential/size.ts";
import { wideMutations } from "./differential/wide.ts";
import { testCacheDir } from "./helpers.ts";

interface Recorded {
  cases: Record<string, Outcome>;
  mutations: { strict: Outcome; loose: Outcome };
  wide: { strict: Outcome; loose: Outcome };
}

const recorded = JSON.parse(fs.readFileSync(RECORDED, "utf8")) as Recorded;
/** acceptance cases where kubeconform is wrong and we deliberately differ (documented in the package README). */
export const KNOWN_KUBECONFORM_BUGS: Record<string, string> = {};

let locations: string[] = [];
const ours: { cases: Record<string, Outcome>; strict?: Outcome; loose?: Outcome; wideStrict?: Outcome; wideLoose?: Outcome } = { cases: {} };
/** Mutation texts by the file name the outcomes use. */
const texts: Record<string, string> = {};

afterAll(() => fs.rmSync(WORK, { recursive: true, force: true })); // a folder per process (run.ts)
beforeAll(async () => {
  locations = prepare();
  const dir = path.join(WORK, "mutations");
  fs.mkdirSync(dir, { recursive: true });
  for (const m of mutations(MUTATION_COUNT)) {
    fs.writeFileSync(path.join(dir, `${m.id}.yaml`), m.text);
    texts[`@W/mutations/${m.id}.yaml`] = m.text;
  }
  const wideDir = path.join(WORK, "wide");
  fs.mkdirSync(wideDir, { recursive: true });
  for (const m of wideMutations(WIDE_MUTATION_COUNT)) {
    fs.writeFileSync(path.join(wideDir, `${m.id}.yaml`), m.text);
    texts[`@W/wide/${m.id}.yaml`] = m.text;
  }
  for (const kase of ACCEPTANCE) ours.cases[kase.id] = await runOurs(kase, locations, testCacheDir);
  ours.strict = await runOurs({ id: "mutations strict", args: ["@S", "-strict", "@W/mutations"] }, locations, testCacheDir);
  ours.loose = await runOurs({ id: "mutations", args: ["@S", "@W/mutations"] }, locations, testCacheDir);
  ours.wideStrict = await runOurs({ id: "wide strict", args: ["@S", "-strict", "@W/wide"] }, locations, testCacheDir);
  ours.wideLoose = await runOurs({ id: "wide", args: ["@S", "@W/wide"] }, locations, testCacheDir);
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
});

const binary = process.env.KUBECONFORM || "kubeconform";
const live = spawnSync(binary, ["-v"], { stdio: "ignore" }).status === 0;

describe.skipIf(!live)("differential: kubeconform binary (live)", () => {
  it("agrees with the binary on the mutations as it agrees with the recording", () => {
    const strict = runKubeconform(binary, { id: "mutations strict", args: ["@S", "-strict", "@W/mutations"] }, locations);
    expect(report("live mutations, -strict", compareMutations(strict, ours.strict!, texts))).toBeGreaterThanOrEqual(0.995);
    const wide = runKubeconform(binary, { id: "wide strict", args: ["@S", "-strict", "@W/wide"] }, locations);
    expect(report("live wide mutations, -strict", compareMutations(wide, ours.wideStrict!, texts))).toBeGreaterThanOrEqual(0.995);
  });
});
