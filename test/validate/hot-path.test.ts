// The per-document hot path's shortcuts (a large input runs them once per document or resource): each must give
// what the slower form it replaces gives. The decoder's searches stand for regular expressions (checked against
// them on generated texts), the registry answers a settled lookup without a wait, and a resource's signature is
// read once. No timing is asserted.
import { describe, expect, it } from "vitest";
import { C1_CONTROL, followedAfterBlanks, hasYaml11LineBreak, parseDocument } from "../../packages/validate/src/decode.ts";
import { forgetSchemas, lookupSchema, settledLookup, type RegistryOptions } from "../../packages/validate/src/registry.ts";
import { parseSchemaLocation } from "../../packages/validate/src/schema-locations.ts";
import { validateDocuments } from "../../packages/validate/src/index.ts";
import { seeded } from "./go-yaml-agreement.ts";
import { crdsTemplate, schemasDir, testCacheDir } from "./helpers.ts";

const ALPHABET = ["a", " ", "\t", ":", "[", "]", "{", "}", "\n", "-", "\x7f", "\x80", "\x85", "\x9f", "\xa0", "é", "\u2028", "\u2029", "\ufffe", "\uffff", "\ud800", "'"];

function* texts(count: number, seed: number): Generator<string> {
  const next = seeded(seed);
  for (let i = 0; i < count; i++) {
    // mostly plain ASCII, as real manifests are: the shortcuts branch on that
    const pool = next(3) === 0 ? ALPHABET : ALPHABET.slice(0, 10);
    let text = "";
    const length = next(40);
    for (let j = 0; j < length; j++) text += pool[next(pool.length)];
    yield text;
  }
}

describe("the decoder's searches", () => {
  it("find what the regular expressions they replace find", () => {
    const c1 = /[\x7f-\x84\x86-\x9f\ufffe\uffff]/;
    const breaks = /[\u0085\u2028\u2029]/;
    let hits = 0;
    for (const text of texts(6_000, 17)) {
      expect(C1_CONTROL.test(text), JSON.stringify(text)).toBe(c1.test(text));
      expect(hasYaml11LineBreak(text), JSON.stringify(text)).toBe(breaks.test(text));
      expect(followedAfterBlanks(text, "]", ":"), JSON.stringify(text)).toBe(/\][ \t]*:/.test(text));
      expect(followedAfterBlanks(text, "}", ":"), JSON.stringify(text)).toBe(/\}[ \t]*:/.test(text));
      expect(followedAfterBlanks(text, "{", "[{"), JSON.stringify(text)).toBe(/\{[ \t]*[[{]/.test(text));
      if (c1.test(text) || /\{[ \t]*[[{]/.test(text)) hits++;
    }
    expect(hits).toBeGreaterThan(600); // the generated texts do reach both answers
  });

  it("still send a C1 control character, a NEL line break and a collection key to go-yaml's verdicts", () => {
    expect(parseDocument("a: b\x85c: d\n", true)).toEqual({ ok: true, value: { a: "b", c: "d" } });
    const c1 = parseDocument("a: b\x9fc\n", true);
    expect(c1.ok).toBe(false);
    expect(c1.ok ? "" : c1.reason).toMatch(/control characters are not allowed/);
    const key = parseDocument("[a, b]: 1\n", true);
    expect(key.ok ? "" : key.reason).toMatch(/invalid map key/);
  });
});

describe("the registry", () => {
  const options: RegistryOptions = {
    locations: [schemasDir, crdsTemplate].map(parseSchemaLocation),
    kubernetesVersion: "1.36.2",
    strict: true,
    cacheDir: testCacheDir,
  };

  it("answers a finished lookup at once, and the same one lookupSchema settles to", async () => {
    const kind = "ConfigMap";
    const version = `v1`;
    // lookups are keyed by the options' values: another test file sharing this worker's modules may have made this one
    forgetSchemas();
    const fresh: RegistryOptions = { ...options }; // nothing looked up for these options yet
    expect(settledLookup(kind, version, fresh)).toBeUndefined();
    const promise = lookupSchema(kind, version, fresh);
    expect(lookupSchema(kind, version, fresh)).toBe(promise);
    const found = await promise;
    expect(found.kind).toBe("found");
    expect(settledLookup(kind, version, fresh)).toBe(found);
    expect(settledLookup("NoSuchKind", version, fresh)).toBeUndefined();
    expect((await lookupSchema("NoSuchKind", version, fresh)).kind).toBe("missing");
  });

  it("gives the same verdicts to the first resource of a kind (awaited) and the next ones (settled)", async () => {
    const doc = (name: string, data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: ${data}\n`;
    const content = [doc("a", "{n: 1}"), doc("b", "{n: x}"), doc("c", "{n: 1}"), "apiVersion: v1\nkind: List\nitems:\n- " + doc("d", "{n: 2}").trim().replaceAll("\n", "\n  ")].join("---\n");
    const report = await validateDocuments([{ filename: "a.yaml", content }], { schemaLocations: [schemasDir, crdsTemplate], kubernetesVersion: "1.36.2", strict: true, cacheDir: testCacheDir });
    expect(report.resources.map((r) => [r.name, r.status])).toEqual([
      ["a", "statusInvalid"],
      ["b", "statusValid"],
      ["c", "statusInvalid"],
      ["d", "statusInvalid"],
    ]);
  });
});
