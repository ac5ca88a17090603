// Cached validators are large (a workload kind's is ~0.5 MB of generated code) and V8 compiles a
// function only when it is first called, so a short run spent much of its time compiling them
// again: Node's module compile cache is made when a file is loaded, before any of its functions
// has run, and keeps only the top level. Here a validator file is loaded through vm.Script with
// V8's code cache taken at the end of a run (<file>.v8), which holds every function the run
// compiled, so the next run starts with them compiled (one overlay: 20-25 % less CPU). V8 rejects a
// cache made by another V8 version or with other flags; it is then made again. The validator files
// are named by the hash of what generated them and never change, so a cache always matches its file.
import type { Script } from "node:vm";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const vm = process.getBuiltinModule("node:vm");
const zlib = process.getBuiltinModule("node:zlib");
const { createRequire } = process.getBuiltinModule("node:module");

const toSave: { script: Script; file: string }[] = [];
let writes = true;

/** What the loads found (tests). */
export const codeCacheStats = { used: 0, made: 0 };

/** Worker threads read the caches but leave writing them to the main thread. */
export function setCodeCacheWrites(on: boolean): void {
  writes = on;
}

/**
 * The cache's bytes if its checksum (the first 4 bytes, CRC-32) matches them. V8 checks a cache's header, not all of
 * its bytes, and a damaged body stops the process (a fatal check, not an exception), so a damaged file is not used.
 */
function checkedCache(file: Buffer): Buffer | undefined {
  if (file.length < 4) return undefined;
  const data = file.subarray(4);
  return zlib.crc32(data) === file.readUInt32BE(0) ? data : undefined;
}

/**
 * Loads a CommonJS file (its module.exports) with its code cache; a missing or rejected cache is written at exit.
 * The cache is <file>.v8, for a file that never changes; with `cacheDir`, <cacheDir>/<SHA-256 of the file>.v8 (V8
 * checks a cache against its source's length only, so a file that may change needs a cache named by its content).
 */
export function requireWithCodeCache(file: string, cacheDir?: string): unknown {
  const source = fs.readFileSync(file, "utf8");
  const cacheFile = cacheDir === undefined ? `${file}.v8` : path.join(cacheDir, `${process.getBuiltinModule("node:crypto").createHash("sha256").update(source).digest("hex")}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = checkedCache(fs.readFileSync(cacheFile));
  } catch {
    // no cache yet
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  if (cachedData && !script.cachedDataRejected) codeCacheStats.used++;
  else if (writes) {
    if (toSave.length === 0) process.once("exit", saveCodeCaches);
    toSave.push({ script, file: cacheFile });
  }
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/** Writes the caches of the files loaded without one (at exit; tests call it directly). */
export function saveCodeCaches(): void {
  for (const { script, file } of toSave.splice(0)) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      const data = script.createCachedData();
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(zlib.crc32(data));
      fs.writeFileSync(tmp, Buffer.concat([crc, data]));
      fs.renameSync(tmp, file);
      codeCacheStats.made++;
    } catch {
      // an unwritable cache only costs speed next time
    }
  }
}
