// Shared by the tests that generate YAML texts to check decode.ts's cheap looks against the go-yaml port
// (open-quote.test.ts, block-scalar-anchors.test.ts): a seeded random source and the comparison itself.
import { parseDocument } from "../../packages/validate/src/decode.ts";
import { goYamlSyntaxError } from "../../packages/validate/src/goyaml-syntax.ts";

/** A seeded linear congruential source: next(n) is in [0, n), the same sequence on every run. */
export function seeded(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

/** `lines` (indented by `indent`: 0, 2 or 4) under as many parent keys as that indentation needs. */
export function nestedAt(indent: number, lines: string[]): string {
  return (indent === 0 ? "" : indent === 2 ? "a:\n" : "a:\n  b:\n") + lines.join("\n") + "\n";
}

/** The texts the decoder accepts where go-yaml refuses them, or refuses where go-yaml accepts them (at most 5). */
export function acceptedDifferently(texts: Iterable<string>): string[] {
  const differ: string[] = [];
  for (const text of texts) {
    if (parseDocument(text, true).ok !== (goYamlSyntaxError(text) === undefined)) differ.push(JSON.stringify(text));
    if (differ.length === 5) break;
  }
  return differ;
}
