// Reading input as kubeconform's pkg/resource does: paths are walked in lexical order (only .yaml,
// .yml and .json files), each file or stdin is read in blocks and cut into documents at "\n---"
// (the rest of the separator line is dropped) as it streams, so memory stays bounded by the
// largest document, not the input. Bytes are decoded per document: invalid UTF-8 is that
// document's error, not the file's.
import type { Stats } from "node:fs";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const { isUtf8 } = process.getBuiltinModule("node:buffer");

/** kubeconform's bufio.Scanner grows its buffer up to 256 MB: a longer document is an error. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;
/** Bytes asked of the reader at a time, and the size of a stream's buffer. */
const BLOCK_BYTES = 256 * 1024;
const WINDOW_BYTES = 4 * BLOCK_BYTES;
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
  // One buffer per stream, reused from stream to stream: blocks are read into it after the bytes
  // not yet cut, and a document is decoded from it in place, so reading allocates nothing but the
  // documents' strings (a fresh buffer per block only waited for the garbage collector).
  const window = new Window(FREE_BUFFERS.pop() ?? Buffer.allocUnsafeSlow(WINDOW_BYTES));
  try {
    yield* documentsIn(read, limit, window);
  } finally {
    // a buffer grown for one huge document is not kept
    if (window.buf.length === WINDOW_BYTES) FREE_BUFFERS.push(window.buf);
  }
}

const FREE_BUFFERS: Buffer[] = [];

/** The bytes read and not yet cut into documents: buf[start, end). */
class Window {
  buf: Buffer;
  start = 0;
  end = 0;
  constructor(buf: Buffer) {
    this.buf = buf;
  }
  get length(): number {
    return this.end - this.start;
  }
  /** Reads one block after the pending bytes (moved to the front, or into a larger buffer, to make room). */
  fill(read: Reader): number {
    if (this.buf.length - this.end < BLOCK_BYTES) {
      const needed = this.length + BLOCK_BYTES;
      const target = needed <= this.buf.length ? this.buf : Buffer.allocUnsafeSlow(Math.max(needed, 2 * this.buf.length));
      this.buf.copy(target, 0, this.start, this.end);
      this.buf = target;
      this.end -= this.start;
      this.start = 0;
    }
    const n = read(this.buf.subarray(this.end, this.end + BLOCK_BYTES));
    if (n > 0) this.end += n;
    return n;
  }
}

function* documentsIn(read: Reader, limit: number, w: Window): Generator<Chunk & { empty: boolean }, void, undefined> {
  let scanFrom = 0; // relative to w.start
  let index = 1;
  let line = 1;
  let eof = false;
  for (;;) {
    const sep = w.length >= SEPARATOR.length ? w.buf.subarray(w.start, w.end).indexOf(SEPARATOR, scanFrom) : -1;
    if (sep >= 0) {
      const after = sep + SEPARATOR.length;
      const nl = w.buf.indexOf(10, w.start + after);
      const lineEnd = nl >= 0 && nl < w.end ? nl - w.start : -1;
      if (lineEnd >= 0 || (eof && after === w.length)) {
        const doc = chunk(w.buf.subarray(w.start, w.start + sep), index++, line);
        if (lineEnd < 0) {
          yield doc;
          return;
        }
        line += countNewlineBytes(w.buf, w.start, w.start + sep) + 2;
        w.start += lineEnd + 1;
        scanFrom = 0;
        yield doc;
        continue;
      }
      if (eof) return; // Go's scanner gives up on "\n---…" without a newline at the end
    } else {
      scanFrom = Math.max(0, w.length - SEPARATOR.length + 1);
      if (eof) {
        if (w.length > 0) yield chunk(w.buf.subarray(w.start, w.end), index, line);
        return;
      }
    }
    if (w.length > limit) throw new Error("bufio.Scanner: token too long");
    if (w.fill(read) <= 0) eof = true;
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

export type InputSource = { kind: "file"; path: string; size: number } | { kind: "stdin" } | { kind: "unreadable"; path: string; reason: string };

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
  let stat: Stats;
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
  yield { kind: "file", path: p, size: stat.size };
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return err instanceof Error ? err.message : String(err);
}
