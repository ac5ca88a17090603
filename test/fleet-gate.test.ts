// A gate that scales to fleets: `check --changed REF` renders only what a change can affect; verify, notes and
// diff name clusters.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { changedScope } from "../scripts/check/changed.ts";
import { runGate } from "../scripts/check/gate.ts";
import { fleetSummary, type TargetDiff } from "../scripts/diff.ts";
import { loadClusterTarget } from "../scripts/cluster/target.ts";
import { UsageError } from "../scripts/lib/cli.ts";
import { REPO_ROOT } from "../scripts/lib/paths.ts";
import { loadEnvironments } from "../scripts/lib/overlays.ts";
import { notes } from "../scripts/notes/text.ts";
import { main as verifyMain } from "../scripts/verify.ts";

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const eks = loadEnvironments(path.join(REPO_ROOT, "overlays")).get("eks")!;

describe("changedScope: which targets a change can affect", () => {
  let dir: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  const settings = (clusters: object[], extra: object = {}) => stringify({ namespace: "mcp", ...extra, clusters });
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-changed-"));
    git(dir, "init", "-q", "-b", "main");
    write("overlays/eks/settings.yaml", settings([{ name: "a", host: "a.example.com" }, { name: "b", host: "b.example.com" }]));
    write("overlays/eks/kustomization.yaml", "resources: [../../base]\n");
    write("overlays/dev/settings.yaml", settings([]));
    write("clusters/eks/a/kustomization.yaml", "resources: [../../../overlays/eks]\n");
    write("base/x.yaml", "kind: ConfigMap\n");
    write("README.md", "# x\n");
    git(dir, "add", "-A");
    git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const reset = () => {
    git(dir, "checkout", "-q", "--", ".");
    git(dir, "clean", "-qfd");
  };

  it("one cluster's entry in the settings: that cluster and the root, not the environment or its other clusters", () => {
    reset();
    write("overlays/eks/settings.yaml", settings([{ name: "a", host: "a.example.com" }, { name: "b", host: "b2.example.com" }]));
    const scope = changedScope(dir, "HEAD");
    expect(scope).not.toBe("all");
    if (scope === "all") return;
    expect([...scope.envs]).toEqual([]);
    expect([...scope.clusters]).toEqual([["eks", new Set(["b"])]]);
    expect(scope.root).toBe(true);
  });

  it("an environment-wide setting: the environment with all its clusters", () => {
    reset();
    write("overlays/eks/settings.yaml", settings([{ name: "a", host: "a.example.com" }, { name: "b", host: "b.example.com" }], { profile: "dev" }));
    const scope = changedScope(dir, "HEAD");
    expect(scope !== "all" && [...scope.envs]).toEqual(["eks"]);
  });

  it("a new file in a cluster overlay: that cluster; documentation alone: nothing", () => {
    reset();
    write("clusters/eks/a/extra.yaml", "x: 1\n");
    const scope = changedScope(dir, "HEAD");
    expect(scope !== "all" && [...scope.clusters]).toEqual([["eks", new Set(["a"])]]);
    reset();
    write("README.md", "# changed\n");
    const docs = changedScope(dir, "HEAD");
    expect(docs !== "all" && { envs: docs.envs.size, clusters: docs.clusters.size, root: docs.root }).toEqual({ envs: 0, clusters: 0, root: false });
  });

  it("anything shared (base, scripts, packages) checks everything; an unknown ref is a usage error", () => {
    reset();
    write("base/x.yaml", "kind: Secret\n");
    expect(changedScope(dir, "HEAD")).toBe("all");
    expect(() => changedScope(dir, "no-such-ref")).toThrow(UsageError);
  });
});

describe("check --changed on a copy of this repository", () => {
  let copy: string;
  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-changed-gate-"));
    git(REPO_ROOT, "clone", "-q", "--shared", "--no-checkout", REPO_ROOT, copy);
    git(copy, "checkout", "-q", "HEAD");
  });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  it("nothing changed: every target is reported unchanged and nothing is rendered", async () => {
    const result = await runGate({ root: copy, changed: "HEAD" });
    expect(result.ok).toBe(true);
    expect(result.targets.every((t) => t.unchanged)).toBe(true);
  });

  it("one cluster's host edited without regenerating: only that cluster (and the root) is checked, and its drift fails the gate", async () => {
    const file = path.join(copy, "overlays/eks/settings.yaml");
    const raw = parse(fs.readFileSync(file, "utf8"));
    raw.clusters[1].host = "eu2.mcp.example.com";
    fs.writeFileSync(file, stringify(raw));
    const result = await runGate({ root: copy, changed: "HEAD" });
    const checked = result.targets.filter((t) => !t.unchanged).map((t) => t.name);
    expect(checked).toEqual([`eks/${raw.clusters[1].name}`, "(root)"]);
    expect(result.ok).toBe(false);
    const row = result.targets.find((t) => t.name === `eks/${raw.clusters[1].name}`)!;
    expect(row.drift.some((d) => d.includes(`clusters/eks/${raw.clusters[1].name}/`))).toBe(true);
  });
});

describe("verify, notes and diff know the fleet", () => {
  it("verify on a fleet asks which cluster; --cluster renders that cluster's overlay and names its Application", async () => {
    await expect(verifyMain(["eks"])).rejects.toThrow(/eks is a fleet of 3 clusters: name one with --cluster/);
    await expect(loadClusterTarget("eks", eks, "nowhere")).rejects.toThrow(/no cluster nowhere/);
    const c = eks.clusters[0]!;
    const t = await loadClusterTarget("eks", eks, c.name);
    expect(t.argocd).toEqual({ application: `mcp-stack-eks-${c.name}`, namespace: "argocd" });
    expect(t.settings.ingress.host).toBe(c.host);
    const ingress = t.objects.find((o) => o.kind === "Ingress")!;
    expect(ingress.spec.rules[0].host).toBe(c.host);
  });

  it("notes list every cluster: stage, destination, URL, Application and its verify command", () => {
    const text = notes("eks", eks);
    for (const c of eks.clusters) {
      expect(text).toContain(`${c.name} [${c.stage}] cluster ${c.destination.name}: https://${c.host}; Application mcp-stack-eks-${c.name}`);
      expect(text).toContain(`npm run verify -- eks --cluster ${c.name}`);
    }
  });

  it("the diff summary groups a fleet's clusters by the change they see", () => {
    const d = (target: string, changed: string[] = []): TargetDiff => ({
      target,
      added: [],
      removed: [],
      changed: changed.map((name) => ({ kind: "Deployment", name, namespace: "mcp" }) as TargetDiff["changed"][number]),
      errors: [],
    });
    expect(fleetSummary([d("eks"), d("eks/a", ["mcp-gateway"]), d("eks/b", ["mcp-gateway"]), d("eks/c"), d("(root)")])).toEqual([
      "fleet eks: 2 of 3 clusters change",
      "  2 alike (a, b): ~Deployment/mcp-gateway",
    ]);
  });
});
