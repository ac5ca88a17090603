// The shared emitter: whatever string goes in, YAML 1.1 and YAML 1.2 readers read the same string back; and the
// reader the generator's equivalence check uses reads plain scalars as YAML 1.1 does (kustomize does).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse } from "yaml";
import jsyaml from "js-yaml";
import { loadAllAsYaml11, toYaml } from "../scripts/lib/yaml.ts";
import { TRICKY_STRINGS } from "./helpers/tricky.ts";


const readers = {
  "YAML 1.2 (yaml, core)": (t: string) => parse(t),
  "YAML 1.1 (yaml, version 1.1)": (t: string) => parse(t, { version: "1.1" }),
  "YAML 1.1 (generator's reader)": (t: string) => loadAllAsYaml11(t)[0],
  "js-yaml default schema": (t: string) => jsyaml.load(t),
};

describe("toYaml: 1.1 and 1.2 readers agree", () => {
  it.each(Object.entries(readers))("every tricky string reads back unchanged with %s, as value and as key", (_, read) => {
    for (const s of TRICKY_STRINGS) {
      const text = toYaml({ value: s, list: [s], map: { [s]: s } });
      expect(read(text), `${JSON.stringify(s)} in\n${text}`).toEqual({ value: s, list: [s], map: { [s]: s } });
    }
  });

  it("random strings (property) read back unchanged with every reader", () => {
    const pieces = fc.constantFrom(...TRICKY_STRINGS, ":", "#", " ", "'", '"', "0", "x", "\\", "é");
    const arb = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.array(pieces, { maxLength: 4 }).map((a) => a.join("")));
    fc.assert(
      fc.property(arb, (s) => {
        const text = toYaml({ k: s });
        for (const read of Object.values(readers)) expect(read(text)).toEqual({ k: s });
      }),
      { numRuns: 500 },
    );
  });

  it("signed and underscored 0o octals read back unchanged with every reader (the property found -0o7)", () => {
    for (const s of ["-0o7", "+0o7", "0o7_1", "-0o1_0"]) {
      for (const read of Object.values(readers)) expect(read(toYaml({ k: s })), s).toEqual({ k: s });
    }
  });

  it("numbers and booleans stay numbers and booleans", () => {
    const text = toYaml({ a: 1, b: 2.5, c: true, d: null, e: "1" });
    expect(text).toBe('a: 1\nb: 2.5\nc: true\nd: null\ne: "1"\n');
  });
});

describe("the equivalence check's reader", () => {
  it("reads unquoted YAML 1.1 booleans, octals, sexagesimals and timestamps as non-strings (as kustomize would)", () => {
    const [o] = loadAllAsYaml11("a: y\nb: NO\nc: on\nd: 010\ne: 1:20\nf: 2001-12-14\ng: ~\nh: '0o7'\ni: 0o7\nj: plain\n") as Record<string, unknown>[];
    expect(o).toMatchObject({ a: true, b: false, c: true, e: 80, g: null, h: "0o7", i: 7, j: "plain" });
    expect(o!.f).toBeInstanceOf(Date);
    expect(typeof o!.d).toBe("number"); // 10 for 1.2, 8 for 1.1: a number either way, never "010"
  });
});
