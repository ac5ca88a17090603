// simple-yaml.ts reads the block-style subset kustomize writes without js-yaml. Whatever it reads must be what the full
// reading gives: validate's (decode.ts's parseAnyDocument, which agrees with go-yaml on the differential corpora) and
// the policy engine's (js-yaml's load with its default schema). Every rendered overlay's document must be in the
// subset, else the fast path buys nothing. Compared on the rendered overlays, kubeconform's own fixtures, the recorded
// mutation corpus and 12,000 seeded edits of rendered documents at the subset's edges (comments, quotes over lines,
// block scalars, indentation, indicators, YAML 1.1 scalars).
import fs from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { goResolve, parseAnyDocument, parseDocument } from "../../packages/validate/src/decode.ts";
import { splitDocuments } from "../../packages/validate/src/reader.ts";
import { load } from "js-yaml";
import { jsYamlPlainScalar } from "../../packages/policy-engine/src/input.ts";
import { readSimpleYaml, type PlainResolver } from "../../packages/validate/src/simple-yaml.ts";
import { loadEnvironments } from "../../scripts/lib/overlays.ts";
import { renderOverlays } from "../../scripts/lib/render.ts";
import { FIXTURES, mutations } from "./differential/corpus.ts";
import { seeded } from "./go-yaml-agreement.ts";

const simple = (text: string) => readSimpleYaml(text, goResolve);

/** A full reading and the simple reader's resolver for the same plain scalars. */
interface Reading {
  resolve: PlainResolver;
  full: (text: string) => { ok: true; value: unknown } | { ok: false };
}
/** validate's: go-yaml v2's scalars (decode.ts). */
const GO_YAML: Reading = { resolve: goResolve, full: (text) => parseAnyDocument(text, true) };
/** The policy engine's: js-yaml's default schema (input.ts). */
const JS_YAML: Reading = {
  resolve: jsYamlPlainScalar,
  full: (text) => {
    try {
      return { ok: true, value: load(text) };
    } catch {
      return { ok: false };
    }
  },
};

/** The texts (at most 5) the simple reader reads otherwise than the full reading does. */
function readDifferently(texts: Iterable<string>, reading: Reading = GO_YAML): { differ: string[]; read: number; total: number } {
  const differ: string[] = [];
  let read = 0;
  let total = 0;
  for (const text of texts) {
    total++;
    const value = readSimpleYaml(text, reading.resolve);
    if (value === undefined) continue;
    read++;
    const full = reading.full(text);
    if (!full.ok || !isDeepStrictEqual(full.value, value)) differ.push(`${JSON.stringify(text)} -> ${JSON.stringify(value)}, in full ${JSON.stringify(full)}`);
    if (differ.length === 5) break;
  }
  return { differ, read, total };
}

const documentsOf = (text: string) => splitDocuments(text).map((c) => c.text);
const rendered = async () => (await renderOverlays(loadEnvironments())).flatMap((r) => documentsOf(r.yaml));

const EDITS = [
  "#", " #", "# c", ": ", ":", "- ", "-", "? ", "'", '"', "''", "\\", "\\n", "|", "|-", "|+", ">", "{", "}", "[", "]", "{}",
  "[]", "&a ", "*a", "!!str ", "!x ", "\t", "\r", "~", "null", "yes", "on", "Off", "1", "0x1F", "1_0", ".inf", "-.5",
  "1e3", "<<: ", "---", "...", "%", "@", "`", "\u00e9", "\u0085", " ", "  ", "\n", "\n\n", "\n  ", "\n    ", "\n- ", "\n  #", "\n    # c", "a: 1",
];

/** Windows of rendered documents (5 to 30 lines, the first at column 0), each edited once or twice. */
function* edited(documents: string[], count: number, seed: number): Generator<string> {
  const next = seeded(seed);
  const lines = documents.map((d) => d.split("\n"));
  for (let n = 0; n < count; n++) {
    const doc = lines[next(lines.length)]!;
    const start = next(Math.max(1, doc.length - 5));
    let window = doc.slice(start, start + 5 + next(26));
    const cut = /^ */.exec(window[0]!)![0].length;
    window = window.map((l) => (l.slice(0, cut).trim() === "" ? l.slice(cut) : l.trimStart()));
    let text = window.join("\n") + (next(4) === 0 ? "" : "\n");
    for (let e = 1 + next(2); e > 0; e--) {
      const at = next(text.length + 1);
      switch (next(4)) {
        case 0: text = text.slice(0, at) + text.slice(at + 1 + next(3)); break; // delete
        case 1: { // indentation of a line by -2..+2
          const ls = text.split("\n");
          const i = next(ls.length);
          const d = next(5) - 2;
          ls[i] = d < 0 ? ls[i]!.replace(new RegExp(`^ {0,${-d}}`), "") : " ".repeat(d) + ls[i];
          text = ls.join("\n");
          break;
        }
        default: text = text.slice(0, at) + EDITS[next(EDITS.length)]! + text.slice(at); // insert
      }
    }
    yield text;
  }
}

describe.each([
  ["go-yaml v2's scalars (validate)", GO_YAML],
  ["js-yaml's default schema (the policy engine)", JS_YAML],
])("the simple reader with %s", (_name, reading) => {
  it("reads every rendered overlay's document, each as the full reading does", async () => {
    const documents = await rendered();
    const { differ, read, total } = readDifferently(documents, reading);
    expect(differ).toEqual([]);
    expect(total).toBeGreaterThan(150);
    expect(read).toBe(total);
  });

  it("reads kubeconform's fixtures and the recorded mutation corpus as the full reading does", () => {
    const fixtures = fs.readdirSync(FIXTURES).filter((f) => /\.ya?ml$/.test(f)).flatMap((f) => documentsOf(fs.readFileSync(path.join(FIXTURES, f), "utf8")));
    const corpus = mutations(1200).flatMap((m) => documentsOf(m.text));
    const { differ, read } = readDifferently([...fixtures, ...corpus], reading);
    expect(differ).toEqual([]);
    expect(read).toBeGreaterThan(300);
  });

  it("reads 12,000 edits of rendered documents at the subset's edges as the full reading does", async () => {
    const { differ, read, total } = readDifferently(edited(await rendered(), 12_000, 7), reading);
    expect(differ).toEqual([]);
    // (the edits must reach both sides of the subset's edge: many are read, many are left to the full reading)
    expect(read).toBeGreaterThan(total / 5);
    expect(read).toBeLessThan(total * 0.9);
  });
});

describe("the simple reader (kustomize's block style)", () => {
  it("folds a quoted or plain scalar kustomize wrapped onto deeper lines into one line", () => {
    const text = "a:\n  b: 'it''s wrapped\n    over lines'\n  c:\n  - x y\n    z\n  d: \"q\n    r\"\n";
    expect(simple(text)).toEqual({ a: { b: "it's wrapped over lines", c: ["x y z"], d: "q r" } });
  });

  it("reads the edges of quoted and block scalars as the full reading does, or leaves them to it", () => {
    const edges = ["a: 'x  \n  y'\n", 'a: "x  \n  y"\n', 'a: "x\\ny"\n', 'a: "x\\\n  y"\n', "a: |+\n  x\n\nb: 1\n", "a: |\n  x\n     \n  y\nb: 1\n", "a: |\n\n  x\n\n\nb: 1\n", "a: |-\n    x\n  y\n"];
    const { differ, read } = readDifferently(edges);
    expect(differ).toEqual([]);
    expect(read).toBeGreaterThan(1);
  });

  it("resolves plain scalars as go-yaml v2 does (YAML 1.1) and leaves keys that are not strings to the full reading", () => {
    expect(simple("a: yes\nb: 0x1F\nc: 1_000\nd: ~\ne: 2026-12-01\nf: -x\n")).toEqual({ a: true, b: 31, c: 1000, d: null, e: "2026-12-01", f: "-x" });
    for (const text of ["a: b c\n  #d\n", "on: 1\n", "1: a\n", "~: a\n", "a: .nan\n", "a: 1\na: 2\n", "<<: {}\n", "a: 1 # c\n", "# c\na: 1\n", "a: >\n  x\n", "a: |\n  x"]) {
      expect(simple(text), text).toBeUndefined();
      expect(parseDocument(text, true)).toEqual(parseAnyDocument(text, true));
    }
  });
});
