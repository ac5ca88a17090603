// decode.ts runs the go-yaml port (goyaml-syntax.ts) on a document with an anchor or alias go-yaml would refuse
// (`&Key)`, scannerc.go:1780) only when that anchor is outside block scalars' content: a shell script's
// `sort_by(Contents, &Key)` in a CronJob is text, and cost the port on every rendered backup CronJob. This test
// generates block scalars (literal and folded, under keys, sequence entries and nested sequences) whose content and
// following lines hold such anchors at every indentation, and checks that the decoder's verdict is the port's (the
// port agrees with kubeconform on the recorded syntax corpus, differential.test.ts). With every line taken as content
// (blockScalarContentBlanked emptying everything), or a `- k: |` header's key column taken as its dash's, some of
// these texts are accepted that go-yaml refuses, and this test fails.
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../packages/validate/src/decode.ts";
import { goYamlPortStats, goYamlSyntaxError } from "../../packages/validate/src/goyaml-syntax.ts";
import { splitDocuments } from "../../packages/validate/src/reader.ts";
import { loadEnvironments } from "../../scripts/lib/overlays.ts";
import { renderOverlays } from "../../scripts/lib/render.ts";
import { acceptedDifferently, nestedAt, seeded } from "./go-yaml-agreement.ts";

const HEADERS = ["k: |", "k: >-", "- |", "- k: |", "- - k: |+", "k: |2", "k: | # c", "? |", "k: 'x: |'", "k: a |"];
const LINES = ["sort_by(Contents, &Key)[-1]", "x: &odd) 1", "- &a% b", "*b, c", "&ok v", "q: *ok", "plain", "", "  ", "z: 1", "- y", "m: [a, &k) b]"];

function* blockTexts(count: number, seed: number): Generator<string> {
  const next = seeded(seed);
  for (let i = 0; i < count; i++) {
    const indent = next(3) * 2;
    const lines = [" ".repeat(indent) + HEADERS[next(HEADERS.length)]!];
    const more = 1 + next(4);
    // deeper than the header (content), at its key's column and at its line's (structure, for `- k: |`), or at 0
    const columns = [0, indent, indent + 2, indent + 4, indent + 6];
    for (let j = 0; j < more; j++) lines.push(" ".repeat(columns[next(columns.length)]!) + LINES[next(LINES.length)]!);
    yield nestedAt(indent, lines);
  }
}

describe("anchors in block scalars' content", () => {
  it("the decoder accepts exactly what go-yaml's parser accepts, at every indentation", () => {
    expect(acceptedDifferently(blockTexts(20_000, 11))).toEqual([]);
  });

  it("a shell script's &Key in a CronJob's command is text", () => {
    const text = "kind: CronJob\nspec:\n  args:\n    - |\n      aws s3api list-objects-v2 --query 'sort_by(Contents, &Key)[-1].Key'\n";
    expect(parseDocument(text, true)).toEqual({ ok: true, value: { kind: "CronJob", spec: { args: ["aws s3api list-objects-v2 --query 'sort_by(Contents, &Key)[-1].Key'\n"] } } });
  });

  it("a sequence entry's block scalar is content from its dash's column + 1: the port does not read it", () => {
    const text = "spec:\n  args:\n    - |-\n      aws --query 'sort_by(Contents, &Key)[-1].Key'\n    - next\n";
    const before = goYamlPortStats.documents;
    expect(parseDocument(text, true)).toEqual({ ok: true, value: { spec: { args: ["aws --query 'sort_by(Contents, &Key)[-1].Key'", "next"] } } });
    expect(goYamlPortStats.documents).toBe(before);
  });

  it("no rendered overlay's document costs the port (the backup CronJob's script included)", async () => {
    const documents = (await renderOverlays(loadEnvironments())).flatMap((r) => splitDocuments(r.yaml).map((c) => c.text));
    expect(documents.some((d) => d.includes("&Key)"))).toBe(true);
    const before = goYamlPortStats.documents;
    for (const d of documents) expect(parseDocument(d, true).ok).toBe(true);
    expect(goYamlPortStats.documents).toBe(before);
  });

  it("after a sequence entry's block scalar, the next key of the entry is structure: its odd anchor is go-yaml's error", () => {
    const outcome = parseDocument("- k: |\n    text\n  x: &odd) 1\n", true);
    expect(outcome.ok).toBe(false);
    expect(goYamlSyntaxError("- k: |\n    text\n  x: &odd) 1\n")).toBeDefined();
  });
});
