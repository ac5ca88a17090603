import { describe, expect, it } from "vitest";
import { parseDocument } from "../../packages/validate/src/decode.ts";
import { documentsOf, splitDocuments, wholeBuffer } from "../../packages/validate/src/reader.ts";

describe("splitDocuments (kubeconform's SplitYAMLDocument)", () => {
  it("splits on \\n--- and drops the rest of the separator line", () => {
    const chunks = splitDocuments("a: 1\n--- # comment\nb: 2\n---\nc: 3\n");
    expect(chunks.map((c) => c.text)).toEqual(["a: 1", "b: 2", "c: 3\n"]);
    expect(chunks.map((c) => [c.index, c.line])).toEqual([[1, 1], [2, 3], [3, 5]]);
  });

  it("keeps a leading --- inside the first document and ignores a trailing separator", () => {
    expect(splitDocuments("---\na: 1\n---").map((c) => c.text)).toEqual(["---\na: 1"]);
  });

  it("reuses its read block from stream to stream, also when two streams are read at once", () => {
    const stream = (name: string, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `${name}: ${i}`).join("\n---\n"));
    const a = documentsOf(wholeBuffer(stream("a", 3)));
    const first = a.next().value!.text;
    const b = [...documentsOf(wholeBuffer(stream("b", 3)))].map((c) => c.text); // while a still holds its block
    const rest = [...a].map((c) => c.text);
    expect([first, ...rest]).toEqual(["a: 0", "a: 1", "a: 2"]);
    expect(b).toEqual(["b: 0", "b: 1", "b: 2"]);
    expect([...documentsOf(wholeBuffer(stream("c", 2)))].map((c) => c.text)).toEqual(["c: 0", "c: 1"]);
  });

  // The stream's buffer is compacted and grown as blocks arrive: whatever sizes the reader returns,
  // the documents (text, index, line) are those of a plain string split.
  it("cuts the same documents whatever block sizes the reader returns, across a document larger than its buffer", () => {
    const big = "k: " + "x".repeat(3 * 1024 * 1024 + 17);
    const text = ["a: 1", "", "b: 2\nc: 3", big, "---\nd: 4", "e: 5\n--x", "f: 6"].join("\n--- tail\n") + "\n---\n" + "g: 7\n";
    const small = text.replace(big, "k: small");
    for (const [input, step] of [[small, 1], [small, 7], [text, 4093], [text, 300_000], [text, 1 << 22]] as const) {
      const expected = plainSplit(input);
      const bytes = Buffer.from(input);
      let offset = 0;
      const reader = (block: Buffer) => {
        const n = bytes.copy(block, 0, offset, Math.min(bytes.length, offset + Math.min(step, block.length)));
        offset += n;
        return n;
      };
      expect([...documentsOf(reader)].map((d) => ({ text: d.text, index: d.index, line: d.line })), `reads of ${step} bytes`).toEqual(expected);
    }
    expect(plainSplit(text).map((d) => d.text.length)).toContain(big.length);
  });

  it("still refuses a document over the limit, and a stream's buffer grown for it is not reused", () => {
    const text = "a: " + "y".repeat(5000) + "\n---\nb: 1\n";
    const bytes = Buffer.from(text);
    let offset = 0;
    const byThousands = (block: Buffer) => {
      const n = bytes.copy(block, 0, offset, Math.min(bytes.length, offset + 1000));
      offset += n;
      return n;
    };
    expect(() => [...documentsOf(byThousands, 4096)]).toThrow("bufio.Scanner: token too long");
    expect([...documentsOf(wholeBuffer(Buffer.from("c: 1\n---\nd: 2")))].map((d) => d.text)).toEqual(["c: 1", "d: 2"]);
  });

  it("yields an empty document between adjacent separators only after a newline", () => {
    expect(splitDocuments("a: 1\n---\n---\nb: 2").map((c) => c.text)).toEqual(["a: 1", "---\nb: 2"]);
    expect(splitDocuments("")).toEqual([]);
  });
});

describe("parseDocument (sigs.k8s.io/yaml semantics)", () => {
  const value = (text: string, strict = true) => {
    const outcome = parseDocument(text, strict);
    if (!outcome.ok) throw new Error(outcome.reason);
    return outcome.value;
  };

  it("reads YAML 1.1 booleans as booleans, timestamps as strings and 010 as octal (kubeconform: 017 is 15)", () => {
    expect(value("a: yes\nb: off\nc: y\nd: True\ne: 2024-01-02\nf: '1'\ng: 010")).toEqual({
      a: true,
      b: false,
      c: true,
      d: true,
      e: "2024-01-02",
      f: "1",
      g: 8,
    });
  });

  it("rejects duplicate keys in strict mode with the line, and keeps the last one otherwise", () => {
    const outcome = parseDocument("a: 1\nb:\n  c: 1\n  c: 2\n", true);
    expect(outcome).toMatchObject({ ok: false, line: 4 });
    expect(!outcome.ok && outcome.reason).toBe('yaml: unmarshal errors:\n  line 4: key "c" already set in map');
    expect(value("a: 1\na: 2\n", false)).toEqual({ a: 2 });
  });

  it("reports syntax errors with their line", () => {
    const outcome = parseDocument("a: 1\nb: [\n", true);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.line).toBeGreaterThan(1);
  });

  it("supports merge keys and modest anchors", () => {
    expect(value("base: &b {x: 1}\nderived:\n  <<: *b\n  z: 2\n")).toEqual({ base: { x: 1 }, derived: { x: 1, z: 2 } });
    // a YAML 1.1 key "y" is the boolean true, which JSON spells "true"
    expect(value("y: 1")).toEqual({ true: 1 });
  });

  it("refuses alias bombs", () => {
    let text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 9; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;
    const outcome = parseDocument(text, true);
    expect(outcome).toEqual({ ok: false, reason: "yaml: document contains excessive aliasing" });
  });

  it("reads only the first document of a chunk, as go-yaml does", () => {
    expect(value("a: 1\n...\n--- \nb: 2\n")).toEqual({ a: 1 });
  });
});

/** kubeconform's SplitYAMLDocument on a whole string: cut at "\n---", drop the rest of that line. */
function plainSplit(text: string): { text: string; index: number; line: number }[] {
  const out: { text: string; index: number; line: number }[] = [];
  let rest = text;
  let line = 1;
  for (;;) {
    const sep = rest.indexOf("\n---");
    if (sep < 0) {
      if (rest.length > 0) out.push({ text: rest, index: out.length + 1, line });
      return out;
    }
    const nl = rest.indexOf("\n", sep + 4);
    if (nl < 0) {
      if (sep + 4 === rest.length) out.push({ text: rest.slice(0, sep), index: out.length + 1, line });
      return out;
    }
    out.push({ text: rest.slice(0, sep), index: out.length + 1, line });
    line += rest.slice(0, sep).split("\n").length - 1 + 2;
    rest = rest.slice(nl + 1);
  }
}
