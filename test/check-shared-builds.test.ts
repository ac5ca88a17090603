// The gate runs kustomize once per target: the generator's verification build of an overlay (and of a cluster overlay)
// is the gate's render of the committed one when nothing drifted, so a fresh clone (kustomize cache cold, generate
// memo off, local credentials missing) builds each target once plus each environment's pre-patch build (started by
// check before the generator loads, where its inputs are committed), and the verdicts are those of a run that shares
// nothing.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyRepo } from "./helpers/repo.ts";
import { runGate, type GateResult } from "../scripts/check/gate.ts";

const copy = copyRepo(); // no local credentials: dev and minikube render from throwaway values, as in CI
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gate-builds-"));
const log = path.join(tmp, "builds.log");
// The real kustomize, each build's folder logged first.
const standIn = path.join(tmp, "kustomize");
const hasKustomize = (() => {
  try {
    execFileSync("kustomize", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
fs.writeFileSync(
  standIn,
  hasKustomize
    ? `#!/bin/sh\n[ "$1" = build ] && echo "$2" >> '${log}'\nexec kustomize "$@"\n`
    : `#!/bin/sh\nif [ "$1" = version ]; then exec kubectl version --client; fi\necho "$2" >> '${log}'\nexec kubectl kustomize "$2"\n`,
  { mode: 0o755 },
);
afterAll(() => {
  fs.rmSync(copy, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** What the gate found, without timings; a local Secret's name without its hash suffix (the throwaway values differ per run). */
const verdicts = (r: GateResult) =>
  JSON.parse(
    JSON.stringify({ ok: r.ok, drift: r.drift, sharedDrift: r.sharedDrift, warnings: r.warnings, targets: r.targets.map(({ ms: _, ...t }) => t) }).replace(
      /(-credentials)-[a-z0-9]{10}\b/g,
      "$1-<hash>",
    ),
  ) as unknown;

describe("check's kustomize builds", () => {
  it("builds every target once and shares it with the drift check; the verdicts are those of an unshared run", async () => {
    const shared = await withEnv(
      { KUSTOMIZE: standIn, MCP_STACK_KUSTOMIZE_CACHE_DIR: path.join(tmp, "cache"), MCP_STACK_GENERATE_CACHE: "0" },
      () => runGate({ root: copy }),
    );
    expect(shared.ok).toBe(true);
    // A fresh CI checkout: the overlays whose local credentials are missing render from placeholders, without error.
    expect(shared.targets.filter((t) => t.placeholders).map((t) => t.name)).toEqual(["dev", "minikube"]);
    for (const t of shared.targets) expect(t.renderError, t.name).toBeUndefined();
    const builds = fs.readFileSync(log, "utf8").trim().split("\n");
    const inRepo = builds.filter((d) => d === copy || d.startsWith(`${copy}/`)).map((d) => path.relative(copy, d) || ".");
    const scratch = builds.filter((d) => !inRepo.includes(path.relative(copy, d) || ".") && !d.startsWith(`${copy}/`) && d !== copy);
    // Renders: every committed overlay, cluster overlay and the root, once (dev and minikube from a scratch copy
    // holding their throwaway credentials, which the drift check builds on too).
    const placeholderRenders = scratch.filter((d) => d.includes("/mcp-stack-render-")).map((d) => d.replace(/^.*\/mcp-stack-render-[^/]+\//, ""));
    expect([...inRepo, ...placeholderRenders].sort()).toEqual(shared.targets.map((t) => path.dirname(t.file)).sort());
    // The drift check's own builds: each environment's overlay before its patches (and once more with images:), never
    // the final overlay or a cluster overlay, which are the renders above. check starts them before loading the
    // generator (check/prefetch.ts), derived from the committed overlay, and the generator's builds join them; only
    // where local credentials are missing (throwaway values the generator makes) does the generator build them itself.
    const planning = scratch.filter((d) => d.includes("/mcp-stack-generate-")).map((d) => d.replace(/^.*\/mcp-stack-generate-[^/]+\//, ""));
    const prefetched = scratch.filter((d) => d.includes("/mcp-stack-prefetch-")).map((d) => d.replace(/^.*\/mcp-stack-prefetch-[^/]+\/\d+\//, ""));
    const envs = shared.targets.filter((t) => t.file.startsWith("overlays/")).map((t) => t.name);
    const expected = (only: string[]) =>
      envs.filter((env) => only.includes(env)).flatMap((env) => {
        const committed = fs.readFileSync(path.join(copy, "overlays", env, "kustomization.yaml"), "utf8");
        return /^images:/m.test(committed) ? [`overlays/${env}`, `overlays/${env}`] : [`overlays/${env}`];
      });
    const withThrowaways = shared.targets.filter((t) => t.placeholders).map((t) => t.name);
    expect(planning.sort()).toEqual(expected(withThrowaways).sort());
    expect(prefetched.sort()).toEqual(expected(envs.filter((e) => !withThrowaways.includes(e))).sort());
    expect(prefetched.length).toBeGreaterThan(0);
    expect(builds).toHaveLength(inRepo.length + placeholderRenders.length + planning.length + prefetched.length);

    const unshared = await withEnv({ MCP_STACK_KUSTOMIZE_CACHE: "0" }, () => runGate({ root: copy }));
    expect(verdicts(shared)).toEqual(verdicts(unshared));
  }, 240_000);
});
