// The thread decision (perf/workers.ts) and streaming (reader.ts, index.ts): one thread below the
// threshold, a worker above it, decided from the files' sizes before reading or, on standard input,
// once enough has been read; the results are the same either way. No timing is asserted.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateStream, type Input, type ResourceResult } from "../../packages/validate/src/index.ts";
import { setParallelThreshold } from "../../packages/validate/src/perf/workers.ts";
import type { Reader } from "../../packages/validate/src/reader.ts";
import { crdsTemplate, fixture, schemasDir, tempDir, testCacheDir } from "./helpers.ts";

const options = { schemaLocations: [schemasDir, crdsTemplate], kubernetesVersion: "1.36.2", strict: true, cacheDir: testCacheDir, workers: 2 };

/** 60 renamed copies of the stack fixture and one invalid ConfigMap in the middle (about 0.5 MB). */
function corpus(): string {
  const stack = fs.readFileSync(fixture("stack.yaml"), "utf8");
  const copies = Array.from({ length: 60 }, (_, i) => stack.replaceAll("name: mcp-gateway\n", `name: mcp-gateway-${i}\n`));
  copies.splice(30, 0, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: odd}\ndata: {n: 1}\n");
  return copies.join("\n---\n");
}

async function run(input: Input, threshold?: number, limit?: number): Promise<{ results: ResourceResult[]; threads: number }> {
  setParallelThreshold(threshold, limit);
  try {
    const results: ResourceResult[] = [];
    const outcome = await validateStream(input, options, (r) => results.push(r));
    return { results, threads: outcome.threads };
  } finally {
    setParallelThreshold();
  }
}

function bytesReader(bytes: Buffer, step = 64 * 1024, onRead?: (total: number) => void): Reader {
  let offset = 0;
  return (block) => {
    const n = bytes.copy(block, 0, offset, Math.min(bytes.length, offset + Math.min(step, block.length)));
    offset += n;
    onRead?.(offset);
    return n;
  };
}

describe("one thread or two", () => {
  const text = corpus();

  it("decides from the files' sizes before reading, with the same results in the same order", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "a.yaml"), text);
    fs.writeFileSync(path.join(dir, "b.yaml"), text.replaceAll("mcp-gateway-", "other-"));
    const size = fs.statSync(path.join(dir, "a.yaml")).size + fs.statSync(path.join(dir, "b.yaml")).size;
    const one = await run({ paths: [dir] }, size + 1);
    const two = await run({ paths: [dir] }, size);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.results).toEqual(one.results);
    expect(one.results.filter((r) => r.status === "statusInvalid").map((r) => `${r.filename} ${r.name}`)).toEqual([
      `${path.join(dir, "a.yaml")} odd`,
      `${path.join(dir, "b.yaml")} odd`,
    ]);
    expect(one.results.length).toBeGreaterThan(800);
  });

  it("keeps one thread for files of the upper limit's size or more (the second thread's memory), the same results", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "a.yaml"), text);
    const size = fs.statSync(path.join(dir, "a.yaml")).size;
    const atLimit = await run({ paths: [dir] }, 1, size);
    const belowLimit = await run({ paths: [dir] }, 1, size + 1);
    expect(atLimit.threads).toBe(1);
    expect(belowLimit.threads).toBe(2);
    expect(atLimit.results).toEqual(belowLimit.results);
    // standard input's size is not known ahead: it keeps its worker past the limit
    const stdin = await run({ paths: ["-"], stdin: bytesReader(Buffer.from(text)) }, 200_000, 300_000);
    expect(stdin.threads).toBe(2);
  });

  it("keeps one thread by default on this input (the real threshold is tens of megabytes)", async () => {
    const { threads, results } = await run({ documents: [{ filename: "a.yaml", content: text }] });
    expect(threads).toBe(1);
    expect(results.filter((r) => r.status === "statusValid").length).toBe(results.length - 1);
  });

  it("decides in-memory documents from their length, and standard input once enough has been read", async () => {
    const docs = await run({ documents: [{ filename: "a.yaml", content: text }] }, 1000);
    const stdin = await run({ paths: ["-"], stdin: bytesReader(Buffer.from(text)) }, 200_000);
    const stdinOne = await run({ paths: ["-"], stdin: bytesReader(Buffer.from(text)) });
    expect(docs.threads).toBe(2);
    expect(stdin.threads).toBe(2);
    expect(stdinOne.threads).toBe(1);
    expect(stdin.results).toEqual(stdinOne.results);
    expect(docs.results.map((r) => [r.kind, r.name, r.status])).toEqual(stdin.results.map((r) => [r.kind, r.name, r.status]));
  });
});

describe("streaming", () => {
  it("emits the first results while most of a large standard input is still unread", async () => {
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  blob: ${"x".repeat(10_000)}\n`;
    const bytes = Buffer.from(Array.from({ length: 600 }, (_, i) => doc(i)).join("---\n"));
    let read = 0;
    let readAtFirstResult = -1;
    let count = 0;
    await validateStream({ paths: ["-"], stdin: bytesReader(bytes, 64 * 1024, (n) => (read = n)) }, { ...options, workers: 1 }, (r) => {
      if (count++ === 0) readAtFirstResult = read;
      expect(r.status).toBe("statusValid");
    });
    expect(count).toBe(600);
    expect(bytes.length).toBeGreaterThan(5_000_000);
    expect(readAtFirstResult).toBeGreaterThan(0);
    expect(readAtFirstResult).toBeLessThan(bytes.length / 5);
  });
});

describe("a failure while validating", () => {
  it("is the caller's to catch (the promise validateStream returns rejects; nothing is left unhandled)", async () => {
    const fallback = {
      name: "broken",
      lookup: () => {
        throw new Error("lookup exploded");
      },
    };
    const content = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n";
    await expect(validateStream({ documents: [{ filename: "a.yaml", content }] }, { ...options, fallback }, () => {})).rejects.toThrow("lookup exploded");
  });
});
