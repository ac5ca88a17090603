// How kustomize runs (scripts/lib/kustomize.ts): its output goes to an unlinked file, not a pipe, so a build runs to
// its end while this process's event loop is busy (check prefetches every target's build, then plans for seconds);
// prefetched builds run at a lower priority than the builds the process asks for itself; nothing is left behind.
// A stand-in kustomize (KUSTOMIZE) writes more than a pipe holds, then a marker file, and records its niceness.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cancelPrefetches, KUSTOMIZE_GO, kustomizeBuild, prefetchBuild } from "../scripts/lib/kustomize.ts";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "kustomize-runner-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const LINES = 40_000; // about 1 MB: 16 times a Linux pipe's 64 KB

let standIns = 0;
/** A folder to build, and a stand-in kustomize of its own (a fresh tool identity: no cache hits across cases). */
function setUp(): { dir: string; done: string; niceness: string; standIn: string } {
  const n = ++standIns;
  const dir = path.join(work, `overlay-${n}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "kustomization.yaml"), `resources: [cm.yaml]\n# ${n}\n`);
  fs.writeFileSync(path.join(dir, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
  const done = path.join(work, `done-${n}`);
  const niceness = path.join(work, `nice-${n}`);
  const standIn = path.join(work, `kustomize-${n}`);
  // Field 19 of /proc/self/stat is the niceness; `yes | head` writes the lines, then the marker says it finished.
  fs.writeFileSync(
    standIn,
    `#!/bin/sh\ncut -d' ' -f19 /proc/$$/stat > '${niceness}'\nyes 'a line of rendered output, 25 bytes or so' | head -n ${LINES}\necho warning >&2\ntouch '${done}'\n`,
    { mode: 0o755 },
  );
  return { dir, done, niceness, standIn };
}

async function withTool<T>(standIn: string, body: () => Promise<T>): Promise<T> {
  const saved = { KUSTOMIZE: process.env.KUSTOMIZE, dir: process.env.MCP_STACK_KUSTOMIZE_CACHE_DIR };
  process.env.KUSTOMIZE = standIn;
  process.env.MCP_STACK_KUSTOMIZE_CACHE_DIR = path.join(work, `cache-${path.basename(standIn)}`);
  try {
    return await body();
  } finally {
    cancelPrefetches();
    if (saved.KUSTOMIZE === undefined) delete process.env.KUSTOMIZE;
    else process.env.KUSTOMIZE = saved.KUSTOMIZE;
    if (saved.dir === undefined) delete process.env.MCP_STACK_KUSTOMIZE_CACHE_DIR;
    else process.env.MCP_STACK_KUSTOMIZE_CACHE_DIR = saved.dir;
  }
}

/** Blocks this thread (no event loop turn) until `file` exists or `ms` pass; true when it appeared. */
function blockUntil(file: string, ms: number): boolean {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (fs.existsSync(file)) return true;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  return fs.existsSync(file);
}

const leftovers = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`mcp-stack-kustomize-out-${process.pid}-`));

describe("kustomize's runner", () => {
  it("a prefetched build writes all its output while the event loop is blocked, and the build that joins it gets all of it", async () => {
    const { dir, done, standIn } = setUp();
    await withTool(standIn, async () => {
      prefetchBuild(dir);
      // With a pipe, the stand-in would stop at 64 KB until the event loop read it, and never reach the marker here.
      expect(blockUntil(done, 60_000)).toBe(true);
      const { yaml, warnings } = await kustomizeBuild(dir);
      expect(yaml.split("\n")).toHaveLength(LINES + 1);
      expect(yaml.startsWith("a line of rendered output")).toBe(true);
      expect(warnings).toBe("warning\n");
    });
    expect(leftovers()).toEqual([]);
  }, 120_000);

  it("runs a prefetched build at a lower priority than a build asked for directly", async () => {
    const own = os.getPriority();
    const prefetched = setUp();
    await withTool(prefetched.standIn, async () => {
      prefetchBuild(prefetched.dir);
      await kustomizeBuild(prefetched.dir);
    });
    const direct = setUp();
    await withTool(direct.standIn, () => kustomizeBuild(direct.dir));
    expect(Number(fs.readFileSync(direct.niceness, "utf8"))).toBe(own);
    expect(Number(fs.readFileSync(prefetched.niceness, "utf8"))).toBe(Math.min(19, own + 10));
  }, 120_000);

  it("leaves no output file behind while a build runs, and none after it fails", async () => {
    const { dir, standIn } = setUp();
    const failing = path.join(work, "failing-kustomize");
    fs.writeFileSync(failing, "#!/bin/sh\necho 'half an output'\necho 'Error: accumulating resources: no such file' >&2\nexit 1\n", { mode: 0o755 });
    await withTool(failing, async () => {
      await expect(kustomizeBuild(dir, { root: work })).rejects.toMatchObject({ message: "kustomize build failed: accumulating resources: no such file" });
    });
    await withTool(standIn, async () => {
      const build = kustomizeBuild(dir);
      expect(leftovers()).toEqual([]); // unlinked as soon as it was opened
      await build;
    });
    expect(leftovers()).toEqual([]);
  }, 120_000);

  it("runs kustomize with GOGC=800 and GOMAXPROCS=1 (less CPU per short build), and with the caller's values where it set them", async () => {
    const goEnvOf = async (set: { GOGC?: string; GOMAXPROCS?: string }) => {
      const n = ++standIns;
      const dir = path.join(work, `go-env-${n}`);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, "kustomization.yaml"), `resources: [cm.yaml]\n# ${n}\n`);
      fs.writeFileSync(path.join(dir, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
      const standIn = path.join(work, `kustomize-go-env-${n}`);
      fs.writeFileSync(standIn, `#!/bin/sh\necho "\${GOGC-unset} \${GOMAXPROCS-unset}"\n`, { mode: 0o755 });
      const saved = { GOGC: process.env.GOGC, GOMAXPROCS: process.env.GOMAXPROCS };
      for (const k of ["GOGC", "GOMAXPROCS"] as const) {
        if (set[k] === undefined) delete process.env[k];
        else process.env[k] = set[k];
      }
      try {
        return (await withTool(standIn, () => kustomizeBuild(dir))).yaml.trim();
      } finally {
        for (const k of ["GOGC", "GOMAXPROCS"] as const) {
          if (saved[k] === undefined) delete process.env[k];
          else process.env[k] = saved[k];
        }
      }
    };
    const before = { GOGC: process.env.GOGC, GOMAXPROCS: process.env.GOMAXPROCS };
    expect(KUSTOMIZE_GO).toEqual({ GOGC: "800", GOMAXPROCS: "1" });
    expect(await goEnvOf({})).toBe("800 1");
    expect(await goEnvOf({ GOGC: "50" })).toBe("50 1");
    expect(await goEnvOf({ GOMAXPROCS: "4" })).toBe("800 4");
    expect(await goEnvOf({ GOGC: "off", GOMAXPROCS: "2" })).toBe("off 2");
    expect({ GOGC: process.env.GOGC, GOMAXPROCS: process.env.GOMAXPROCS }).toEqual(before);
  }, 120_000);
});
