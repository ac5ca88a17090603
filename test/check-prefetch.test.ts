// check starts every target's kustomize build before loading its settings (scripts/check/prefetch.ts); a gate that
// stops early (bad settings) stops the builds it started, so none outlives the run. The builds the gate does join are
// counted in check-shared-builds.test.ts (each target built once).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runGate } from "../scripts/check/gate.ts";
import { dropPrePatch, endBuilds, gateBuildDirs, prefetchPrePatch, startBuilds } from "../scripts/check/prefetch.ts";
import { buildKey, withSharedFileHashes } from "../scripts/lib/kustomize-cache.ts";
import { prePatchBuilds } from "../scripts/generate/pre-patch.ts";
import { GENERATED_MARK } from "../scripts/lib/generated.ts";
import { cancelPrefetches, kustomizeBuild, prefetchBuild } from "../scripts/lib/kustomize.ts";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "gate-prefetch-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8")); // a zombie counts as dead
  } catch {
    return false;
  }
};

/** Writes files under `root`, making their folders. */
const writeIn = (root: string) => (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
};

/** A tree with one environment (its settings broken), a cluster overlay, a root kustomization, and a stray folder. */
function tree(): string {
  const root = fs.mkdtempSync(path.join(work, "repo-"));
  const write = writeIn(root);
  const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
  write("overlays/dev/settings.yaml", "profile: [not, a, profile]\n");
  write("overlays/dev/kustomization.yaml", "resources: [cm.yaml]\n");
  write("overlays/dev/cm.yaml", cm);
  write("overlays/notes/kustomization.yaml", "resources: [cm.yaml]\n"); // no settings.yaml: not an environment
  write("overlays/notes/cm.yaml", cm);
  write("clusters/dev/one/kustomization.yaml", "resources: [cm.yaml]\n");
  write("clusters/dev/one/cm.yaml", cm);
  write("kustomization.yaml", "resources: [cm.yaml]\n");
  write("cm.yaml", cm);
  return root;
}

describe("check's prefetched builds", () => {
  it("are the gate's targets: each environment's overlay, each cluster overlay, the root", () => {
    const root = tree();
    expect(gateBuildDirs(root).map((d) => path.relative(root, d) || ".")).toEqual(["overlays/dev", "clusters/dev/one", "."]);
  });

  it("are stopped when nobody joins them, and kept when a build joins them", async () => {
    const root = tree();
    const dir = path.join(root, "overlays/dev");
    await withStandIn(async (started) => {
      prefetchBuild(dir);
      await until(() => started().length === 1);
      cancelPrefetches();
      await until(() => !started().some(alive));
      expect(started().filter(alive)).toEqual([]);
    });
    await withStandIn(async (started) => {
      prefetchBuild(dir);
      const joined = kustomizeBuild(dir);
      cancelPrefetches(); // joined already: not stopped
      expect((await joined).yaml).toContain("name: x");
      expect(started()).toHaveLength(1); // one kustomize run for both
    }, { sleep: false });
  }, 60_000);

  it("include each environment's overlay before its patches, as planOverlay builds it, derived from the generated overlay", () => {
    const committed = [
      `${GENERATED_MARK} from overlays/dev/settings.yaml.`,
      "apiVersion: kustomize.config.k8s.io/v1beta1",
      "kind: Kustomization",
      "namespace: mcp-dev",
      "resources:\n  - ../../base\n  - networkpolicy-extra.yaml\n  - hand-written.yaml",
      "components:\n  - ../../components/pgadmin",
      "configMapGenerator:\n  - name: redis-config\n    files:\n      - redis.conf\n      - extra=conf/extra.conf\n    behavior: merge",
      "secretGenerator:\n  - name: app-credentials\n    envs:\n      - credentials/app-credentials.env\n    type: Opaque",
      "images:\n  - name: busybox\n    newTag: \"1.37\"",
      "patches:\n  # resources.gateway\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: x",
      "",
    ].join("\n");
    const [first, second, ...more] = prePatchBuilds(committed);
    expect(more).toEqual([]);
    const common = [
      "apiVersion: kustomize.config.k8s.io/v1beta1",
      "kind: Kustomization",
      "namespace: mcp-dev",
      "resources:\n  - ../../base",
      "components:\n  - ../../components/pgadmin",
      "configMapGenerator:\n  - name: redis-config\n    files:\n      - redis.conf\n      - extra=conf/extra.conf\n    behavior: merge",
      "secretGenerator:\n  - name: app-credentials\n    envs:\n      - credentials/app-credentials.env\n    type: Opaque",
    ].join("\n");
    // No header (planOverlay's first builds are bare), no patches, no added or hand-written resources; images only in the second.
    expect(first!.text).toBe(`${common}\n`);
    expect(second!.text).toBe(`${common}\nimages:\n  - name: busybox\n    newTag: "1.37"\n`);
    expect(first!.files).toEqual(["redis.conf", "conf/extra.conf", "credentials/app-credentials.env"]);
    expect(prePatchBuilds("resources: [a.yaml]\n")).toEqual([]); // not a Kustomization: nothing guessed
  });

  it("of an overlay before its patches run in a scratch tree removed when they end, and are left out when an input is missing", async () => {
    const root = tree();
    const write = writeIn(root);
    write("base/kustomization.yaml", "resources: [cm.yaml]\n");
    write("base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: v}\n");
    const generated = `${GENERATED_MARK} from overlays/dev/settings.yaml.\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\nconfigMapGenerator:\n  - name: x\n    behavior: merge\n    envs:\n      - x.env\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: ConfigMap\n      metadata: {name: x}\n      data: {p: q}\n`;
    write("overlays/dev/kustomization.yaml", generated);
    expect(prefetchPrePatch(root, "dev")).toEqual([]); // x.env is missing
    write("overlays/dev/x.env", "k=overlay\n");
    await withStandIn(async (started) => {
      const [dir, ...more] = prefetchPrePatch(root, "dev");
      expect(more).toEqual([]);
      expect(fs.readFileSync(path.join(dir!, "kustomization.yaml"), "utf8")).toBe(prePatchBuilds(generated)[0]!.text);
      // The build planOverlay would make of the same files joins it: one kustomize run.
      const { yaml } = await kustomizeBuild(dir!);
      expect(yaml).toMatch(/k: overlay/);
      expect(yaml).not.toMatch(/p: q/);
      expect(started()).toHaveLength(1);
      await until(() => !fs.existsSync(dir!));
    }, { sleep: false });
  }, 60_000);

  it("of an environment before its patches are stopped when the generator takes its plan from the memo; the targets' builds go on", async () => {
    const root = tree();
    const write = writeIn(root);
    write("base/kustomization.yaml", "resources: [cm.yaml]\n");
    write("base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    write("overlays/dev/kustomization.yaml", `${GENERATED_MARK} from overlays/dev/settings.yaml.\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: ConfigMap\n      metadata: {name: x}\n      data: {p: q}\n`);
    const targets = new Set(gateBuildDirs(root).map((d) => buildKey(d, "t"))).size;
    await withStandIn(async (started) => {
      startBuilds(root);
      await until(() => started().length === targets + 1); // the targets and dev's overlay before its patches
      dropPrePatch(root, "nope"); // no such environment: nothing stopped
      dropPrePatch(root, "dev");
      await until(() => started().filter(alive).length === targets);
      await new Promise((r) => setTimeout(r, 200));
      expect(started().filter(alive)).toHaveLength(targets);
      endBuilds(root);
      await until(() => !started().some(alive));
    });
  }, 60_000);

  it("start once per root until the gate ends (check starts them, then the gate it loads would again), keyed as alone", async () => {
    const root = tree();
    const dirs = gateBuildDirs(root);
    const alone = dirs.map((d) => buildKey(d, "t"));
    expect(withSharedFileHashes(() => dirs.map((d) => buildKey(d, "t")))).toEqual(alone);
    const distinct = new Set(alone).size; // identical inputs are one build
    await withStandIn(async (started) => {
      startBuilds(root);
      startBuilds(root);
      await until(() => started().length === distinct);
      await new Promise((r) => setTimeout(r, 200));
      expect(started()).toHaveLength(distinct); // not started twice
      endBuilds(root); // stops them: nobody joined
      // Ended and reaped (gone from /proc, not a zombie), then a turn of the event loop: a stopped build counts as
      // running until this process has seen it end, and a build of the same inputs is not started while one runs (on a
      // loaded machine the next start could otherwise come between the kill and the end).
      await until(() => started().every(gone));
      await new Promise((r) => setTimeout(r, 50));
      startBuilds(root);
      await until(() => started().length === 2 * distinct);
      endBuilds(root);
      await until(() => !started().some(alive));
    });
  }, 60_000);

  it("are stopped when the gate stops on bad settings", async () => {
    const root = tree();
    await withStandIn(async (started) => {
      const before = new Set(children());
      await expect(runGate({ root })).rejects.toMatchObject({ message: expect.stringMatching(/profile/) });
      // The gate's builds are this process's children (setpriv, nice and the stand-in exec one another: one pid
      // each); a stopped one may be gone before its stand-in ran (no pid recorded). Waits only while one is alive.
      const live = () => children().filter((pid) => !before.has(pid) && alive(pid));
      await until(() => live().length === 0, 5_000).catch(() => undefined);
      expect(live()).toEqual([]);
      expect(started().filter(alive)).toEqual([]);
    });
  }, 60_000);
});

/** This process's child processes (Linux: /proc), zombies included. */
function children(): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return out;
  }
  for (const e of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === process.pid) out.push(Number(e));
    } catch {
      // gone
    }
  }
  return out;
}

/** No such process any more: it ended and was reaped. */
const gone = (pid: number): boolean => !fs.existsSync(`/proc/${pid}`);

async function until(test: () => boolean, ms = 20_000): Promise<void> {
  for (let waited = 0; !test(); waited += 50) {
    if (waited > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

let standIns = 0;
/**
 * Runs `body` with KUSTOMIZE set to a stand-in that records its pid, then sleeps (a build that never finishes) or
 * runs the real kustomize; each call its own stand-in and cache folder (a fresh tool identity: no cache hits).
 */
async function withStandIn(body: (started: () => number[]) => Promise<void>, { sleep = true } = {}): Promise<void> {
  const n = ++standIns;
  const pids = path.join(work, `pids-${n}`);
  const standIn = path.join(work, `kustomize-${n}`);
  const real = 'if command -v kustomize >/dev/null; then exec kustomize "$@"; fi\nexec kubectl kustomize "$2"\n';
  // exec: the sleeping process is the child itself.
  fs.writeFileSync(standIn, `#!/bin/sh\necho $$ >> '${pids}'\n${sleep ? "exec sleep 120\n" : real}`, { mode: 0o755 });
  const saved = { KUSTOMIZE: process.env.KUSTOMIZE, dir: process.env.MCP_STACK_KUSTOMIZE_CACHE_DIR };
  process.env.KUSTOMIZE = standIn;
  process.env.MCP_STACK_KUSTOMIZE_CACHE_DIR = path.join(work, `cache-${n}`);
  const started = () => (fs.existsSync(pids) ? fs.readFileSync(pids, "utf8").split("\n").filter(Boolean).map(Number) : []);
  try {
    await body(started);
  } finally {
    if (saved.KUSTOMIZE === undefined) delete process.env.KUSTOMIZE;
    else process.env.KUSTOMIZE = saved.KUSTOMIZE;
    if (saved.dir === undefined) delete process.env.MCP_STACK_KUSTOMIZE_CACHE_DIR;
    else process.env.MCP_STACK_KUSTOMIZE_CACHE_DIR = saved.dir;
    for (const pid of started()) {
      try {
        process.kill(pid, "SIGKILL"); // whatever a failed assertion left running (this test's processes only)
      } catch {
        // gone
      }
    }
  }
}
