// decode.ts runs the go-yaml port (goyaml-syntax.ts) on a document with a quoted scalar left open at the end
// of its line only when its continuation is not all deeper than the line it opens on: kustomize wraps long
// strings onto deeper lines, and those cost the port on every rendered CronJob and PrometheusRule. This test
// generates quoted scalars continued at every indentation and checks that the decoder's verdict is the port's
// (the port agrees with kubeconform on the recorded syntax corpus, differential.test.ts). With the look
// turned off (mayRunIntoNextKey returning false) hundreds of these 20,000 texts are accepted that go-yaml refuses.
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../packages/validate/src/decode.ts";
import { acceptedDifferently, nestedAt, seeded } from "./go-yaml-agreement.ts";

const PIECES = [
  "'5': y", "x' y: 1", '"5": y', "a' #c", "'' : z", 'q" - 1', "'", "data:", "  '5': y", "foo", "b: bar", "- x",
  "'' y", '"', "# c", "k:", ": v", "{a: 1}", "[1]", '\\"', "x\\n", "...", "|", ">", "{{ $v }}", "'{{ x }}'",
];

function* quotedTexts(count: number, seed: number): Generator<string> {
  const next = seeded(seed);
  for (let i = 0; i < count; i++) {
    const quote = next(2) ? "'" : '"';
    const indent = next(3) * 2;
    const lines = [`${" ".repeat(indent)}${next(2) ? "- " : "k: "}${quote}${PIECES[next(PIECES.length)]}`];
    const continued = 1 + next(4);
    for (let j = 0; j < continued; j++) {
      const closing = j === continued - 1 && next(4) ? quote : "";
      lines.push(" ".repeat(next(indent + 5)) + PIECES[next(PIECES.length)] + closing);
    }
    if (next(2)) lines.push(`${" ".repeat(indent)}z: 1`);
    yield nestedAt(indent, lines);
  }
}

describe("quoted scalars continued on later lines", () => {
  it("the decoder accepts exactly what go-yaml's parser accepts, at every continuation indent", () => {
    expect(acceptedDifferently(quotedTexts(20_000, 7))).toEqual([]);
  });

  it("a string wrapped onto deeper lines, as kustomize writes it, decodes to its folded value", () => {
    const text = "kind: ConfigMap\ndata:\n  k: 'until check; do echo \"waiting\";\n    sleep 2; done'\n  next: '{{ $value }} replicas'\n";
    const outcome = parseDocument(text, true);
    expect(outcome).toEqual({ ok: true, value: { kind: "ConfigMap", data: { k: 'until check; do echo "waiting"; sleep 2; done', next: "{{ $value }} replicas" } } });
  });
});
