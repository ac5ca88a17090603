// Reading input as kubeconform's pkg/resource does: paths are walked in lexical order (only .yaml,
// .yml and .json files), each file or stdin is read in blocks and cut into documents at "\n---"
// (the rest of the separator line is dropped) as it streams, so memory stays bounded by the
// largest document, not the input. Bytes are decoded per document: invalid UTF-8 is that
// document's error, not the file's.
import fs from "node:fs";
import path from "node:path";
import { isUtf8 } from "node:buffer";

/** kubeconform's bufio.Scanner grows its buffer up to 256 MB: a longer document is an error. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;
const BLOCK_BYTES = 1 << 20;
const SEPARATOR = Buffer.from("\n---");

export interface Chunk {
  text: string;
  /** 1-based index of the document in its file. */
  index: number;
  /** 1-based line where the document starts. */
  line: number;
  /** Set when the bytes are not text kubeconform could read (invalid UTF-8). */
  decodeError?: string;
}

/** In-memory text cut the same way (rendered overlays, tests), zero-length documents dropped as for files. */
export function splitDocuments(content: string): Chunk[] {
  return [...documentsOf(wholeBuffer(Buffer.from(content)))].filter((c) => !c.empty);
}

export function wholeBuffer(bytes: Buffer): Reader {
  let offset = 0;
  return (block) => {
    const n = bytes.copy(block, 0, offset, Math.min(bytes.length, offset + block.length));
    offset += n;
    return n;
  };
}

function countNewlineBytes(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(10, from); i >= 0 && i < to; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** One document's bytes as text: UTF-8, or UTF-16 with a byte-order mark as go-yaml reads it. */
export function decodeBytes(bytes: Buffer): { text: string; error?: string } {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { text: new TextDecoder(bytes[0] === 0xff ? "utf-16le" : "utf-16be").decode(bytes) };
  }
  if (isUtf8(bytes)) return { text: bytes.toString("utf8") };
  return { text: "", error: "invalid leading UTF-8 octet" };
}

/** Fills `block` and says how many bytes it read (0 at the end). */
export type Reader = (block: Buffer) => number;

export function fdReader(fd: number): Reader {
  return (block) => {
    for (;;) {
      try {
        return fs.readSync(fd, block, 0, block.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") waitForInput();
        else if (code === "EOF") return 0;
        else throw err;
      }
    }
  };
}

/**
 * Yields the documents of a byte stream as kubeconform's SplitYAMLDocument cuts them, including
 * zero-length ones (`empty`: kubeconform drops those for files, keeps them for stdin). As in
 * kubeconform, a last line starting with "---" but not ending in a newline loses its document.
 * `limit` is kubeconform's 256 MB token limit.
 */
export function* documentsOf(read: Reader, limit = MAX_DOCUMENT_BYTES): Generator<Chunk & { empty: boolean }, void, undefined> {
  // the read block is reused from file to file: a fresh 1 MB per file only waits for the garbage collector
  const block = FREE_BLOCKS.pop() ?? Buffer.allocUnsafeSlow(BLOCK_BYTES);
  try {
    yield* documentsIn(read, limit, block);
  } finally {
    FREE_BLOCKS.push(block);
  }
}

const FREE_BLOCKS: Buffer[] = [];

function* documentsIn(read: Reader, limit: number, block: Buffer): Generator<Chunk & { empty: boolean }, void, undefined> {
  let pending = Buffer.alloc(0);
  let scanFrom = 0;
  let index = 1;
  let line = 1;
  let eof = false;
  for (;;) {
    const sep = pending.indexOf(SEPARATOR, scanFrom);
    if (sep >= 0) {
      const after = sep + SEPARATOR.length;
      const lineEnd = pending.indexOf(10, after);
      if (lineEnd >= 0 || (eof && after === pending.length)) {
        yield chunk(pending.subarray(0, sep), index++, line);
        if (lineEnd < 0) return;
        line += countNewlineBytes(pending, 0, sep) + 2;
        pending = pending.subarray(lineEnd + 1);
        scanFrom = 0;
        continue;
      }
      if (eof) return; // Go's scanner gives up on "\n---…" without a newline at the end
    } else {
      scanFrom = Math.max(0, pending.length - SEPARATOR.length + 1);
      if (eof) {
        if (pending.length > 0) yield chunk(pending, index, line);
        return;
      }
    }
    if (pending.length > limit) throw new Error("bufio.Scanner: token too long");
    const n = read(block);
    if (n <= 0) eof = true;
    else pending = pending.length === 0 ? Buffer.from(block.subarray(0, n)) : Buffer.concat([pending, block.subarray(0, n)]);
  }
}

/** A non-blocking stdin pipe with nothing to read yet: wait a little rather than spin. */
function waitForInput(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
}

function chunk(bytes: Buffer, index: number, line: number): Chunk & { empty: boolean } {
  const empty = bytes.length === 0;
  const decoded = decodeBytes(bytes);
  return decoded.error ? { text: "", index, line, decodeError: decoded.error, empty } : { text: decoded.text, index, line, empty };
}

// --- finding input files ---------------------------------------------------------------------

export type InputSource = { kind: "file"; path: string } | { kind: "stdin" } | { kind: "unreadable"; path: string; reason: string };

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * kubeconform's discovery (filepath.Walk): directories in lexical order, symlinks below the given
 * path not followed, only .yaml/.yml/.json files (a given file with another extension is ignored too).
 */
export function* discoverInputs(paths: readonly string[], ignore: readonly RegExp[] = []): Generator<InputSource> {
  for (const p of paths) {
    if (p === "-") {
      yield { kind: "stdin" };
      continue;
    }
    yield* walk(p, ignore, true);
  }
}

function* walk(p: string, ignore: readonly RegExp[], root: boolean): Generator<InputSource> {
  let stat: fs.Stats;
  try {
    stat = root ? fs.statSync(p) : fs.lstatSync(p);
  } catch (err) {
    yield { kind: "unreadable", path: p, reason: `lstat ${p}: ${describeFsError(err)}` };
    return;
  }
  if (stat.isDirectory()) {
    let entries: string[];
    try {
      entries = fs.readdirSync(p).sort();
    } catch (err) {
      yield { kind: "unreadable", path: p, reason: `open ${p}: ${describeFsError(err)}` };
      return;
    }
    for (const entry of entries) yield* walk(path.join(p, entry), ignore, false);
    return;
  }
  if (!MANIFEST_FILE.test(p)) return;
  if (ignore.some((re) => re.test(p))) return;
  yield { kind: "file", path: p };
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return err instanceof Error ? err.message : String(err);
}
