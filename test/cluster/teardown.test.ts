import { describe, expect, it } from "vitest";
import { UsageError } from "../../scripts/lib/cli.ts";
import { planTeardown, runTeardown, type TeardownOptions } from "../../scripts/cluster/teardown-plan.ts";
import { main } from "../../scripts/teardown.ts";
import { depsFor, failed, kubectlFor, makeFakeKubectl, target } from "./helpers.ts";
import { scenario } from "./scenarios.ts";

const fake = makeFakeKubectl();
const opts = (o: Partial<TeardownOptions> = {}): TeardownOptions => ({ deleteData: false, deleteNamespace: false, dryRun: false, yes: false, ...o });
const deletes = () => fake.commands().filter((c) => c.startsWith("delete "));
const noArgoApp = { match: "^get application ", stderr: 'Error from server (NotFound): applications.argoproj.io "x" not found', code: 1 };

describe("teardown plan", () => {
  it("reverse order: routes and their Gateway first, gateway before the migration Job, data stores after it, configuration last", async () => {
    const plan = planTeardown(await target("minikube"), opts());
    const order = plan.steps.map((s) => `${s.kind}:${s.names.join("+") || s.selector}`);
    const at = (re: RegExp) => order.findIndex((s) => re.test(s));
    expect(order.slice(0, 2)).toEqual(["Gateway:mcp-stack", "HTTPRoute:fast-time-server+mcp-gateway"]);
    expect(planTeardown(await target("eks"), opts()).steps[0]!.kind).toBe("Ingress");
    expect(at(/^Deployment:.*mcp-gateway/)).toBeLessThan(at(/^Job:.*mcp-migration/));
    expect(at(/^Job:.*mcp-migration/)).toBeLessThan(at(/^StatefulSet:postgres/));
    expect(at(/^Deployment:redis$/)).toBeGreaterThan(at(/^Job:/));
    expect(at(/^StatefulSet:postgres/)).toBeLessThan(at(/^Service:/));
    expect(at(/^Service:/)).toBeLessThan(at(/^ConfigMap:/));
    expect(plan.steps.some((s) => s.kind === "PersistentVolumeClaim" || s.kind === "Namespace")).toBe(false);
    expect(plan.kept.map((k) => `${k.kind}/${k.name}`)).toEqual(expect.arrayContaining(["PersistentVolumeClaim/postgres-data", "Namespace/mcp"]));
  });

  it("never plans to delete PersistentVolumes, not even with --delete-data --delete-namespace", async () => {
    const plan = planTeardown(await target("manual-pv"), opts({ deleteData: true, deleteNamespace: true, yes: true }));
    expect(plan.steps.some((s) => /persistentvolumes\b/.test(s.resource))).toBe(false);
    expect(plan.kept.filter((k) => k.kind === "PersistentVolume").map((k) => k.name)).toEqual(["mcp-postgres-data", "mcp-redis-data"]);
    expect(plan.steps.at(-1)?.kind).toBe("Namespace");
  });

  it("--delete-namespace without --delete-data is a usage error", async () => {
    expect(() => planTeardown({ namespace: "mcp", objects: [], settings: undefined as never }, opts({ deleteNamespace: true }))).toThrow(UsageError);
  });
});

describe("teardown against the stand-in cluster", () => {
  it("deletes with --ignore-not-found --wait=false, keeps claims and PersistentVolumes", async () => {
    const k = kubectlFor(fake, [noArgoApp, ...scenario()]);
    const results = await runTeardown(k, await target("manual-pv"), opts());
    expect(failed(results)).toEqual([]);
    const d = deletes();
    expect(d[0]).toBe("delete httproutes.gateway.networking.k8s.io fast-time-server mcp-gateway -n mcp --ignore-not-found --wait=false");
    expect(d).toContain("delete statefulsets.apps postgres -n mcp --ignore-not-found --wait=false");
    expect(d.every((c) => c.endsWith("--ignore-not-found --wait=false"))).toBe(true);
    expect(d.some((c) => /persistentvolume|namespaces/.test(c))).toBe(false);
    expect(results.filter((r) => r.id.startsWith("keep/")).map((r) => r.id)).toEqual(
      expect.arrayContaining(["keep/persistentvolume/mcp-postgres-data", "keep/persistentvolumeclaim/postgres-data"]),
    );
    for (const argv of fake.calls()) expect(argv.slice(0, 2)).toEqual(["--context", "test-ctx"]);
  });

  it("--delete-data --yes deletes the claims after the data stores, still never the PersistentVolumes", async () => {
    const k = kubectlFor(fake, [noArgoApp, ...scenario()]);
    const results = await runTeardown(k, await target("manual-pv"), opts({ deleteData: true, yes: true }));
    expect(failed(results)).toEqual([]);
    const d = deletes();
    const claims = d.findIndex((c) => c.startsWith("delete persistentvolumeclaims postgres-data redis-data -n mcp"));
    expect(claims).toBeGreaterThan(d.findIndex((c) => c.startsWith("delete statefulsets.apps postgres")));
    expect(d.some((c) => c.startsWith("delete persistentvolumes"))).toBe(false);
    expect(d.some((c) => c.startsWith("delete namespaces"))).toBe(false);
  });

  it("--delete-data without --yes asks to type the namespace; a wrong answer deletes nothing", async () => {
    const k = kubectlFor(fake, [noArgoApp, ...scenario()]);
    const asked: string[] = [];
    await expect(
      runTeardown(k, await target("minikube"), opts({ deleteData: true, confirm: async (q) => (asked.push(q), false) })),
    ).rejects.toThrow(/not confirmed/);
    expect(asked[0]).toContain("Type the namespace (mcp)");
    expect(deletes()).toEqual([]);
    await expect(runTeardown(k, await target("minikube"), opts({ deleteData: true }))).rejects.toThrow(/--yes/);
    expect(deletes()).toEqual([]);
  });

  it("--delete-data confirmed by typing the namespace, with --delete-namespace: the namespace goes last", async () => {
    const k = kubectlFor(fake, [noArgoApp, ...scenario()]);
    await runTeardown(k, await target("minikube"), opts({ deleteData: true, deleteNamespace: true, confirm: async (_q, expected) => expected === "mcp" }));
    const d = deletes();
    expect(d).toContain("delete persistentvolumeclaims postgres-data -n mcp --ignore-not-found --wait=false");
    expect(d.at(-1)).toBe("delete namespaces mcp --ignore-not-found --wait=false");
  });

  it("--dry-run runs no delete", async () => {
    const k = kubectlFor(fake, [noArgoApp, ...scenario()]);
    const results = await runTeardown(k, await target("minikube"), opts({ dryRun: true, deleteData: true }));
    expect(deletes()).toEqual([]);
    expect(results.find((r) => r.id.startsWith("delete/ingress"))?.detail).toMatch(/^dry run: kubectl delete gateways.gateway.networking.k8s.io mcp-stack/);
  });

  it("refuses while an Argo CD Application manages the environment", async () => {
    const k = kubectlFor(fake, scenario("argoApp"));
    const results = await runTeardown(k, await target("eks"), opts());
    expect(failed(results)).toEqual(["argocd"]);
    expect(results[0]!.remediation).toContain("argocd.enabled: false");
    expect(deletes()).toEqual([]);
  });

  it("nothing to do when the namespace is gone", async () => {
    const k = kubectlFor(fake, [noArgoApp, ...scenario("namespaceAbsent")]);
    const results = await runTeardown(k, await target("minikube"), opts());
    expect(failed(results)).toEqual([]);
    expect(deletes()).toEqual([]);
  });
});

describe("npm run teardown (main, in-process)", () => {
  it("usage errors before touching the cluster: --delete-namespace alone, --delete-data unconfirmed", async () => {
    const deps = depsFor(fake, [noArgoApp, ...scenario()]);
    await expect(main(["--delete-namespace", "minikube"], deps)).rejects.toThrow(UsageError);
    await expect(main(["--delete-data", "minikube"], deps)).rejects.toThrow(/--yes/);
    expect(fake.calls()).toEqual([]);
  });

  it("--delete-data confirmed at the prompt: claims deleted, PersistentVolumes kept, exit 0", async () => {
    const deps = depsFor(fake, [noArgoApp, ...scenario()]);
    const asked: string[] = [];
    const confirm = async (q: string, expected: string) => (asked.push(q), expected === "mcp");
    expect(await main(["--context", "c", "--delete-data", "manual-pv"], { ...deps, confirm })).toBe(0);
    expect(asked).toHaveLength(1);
    expect(deletes()).toContain("delete persistentvolumeclaims postgres-data redis-data -n mcp --ignore-not-found --wait=false");
    expect(deletes().some((c) => /persistentvolumes\b|namespaces/.test(c))).toBe(false);
    expect(deps.io.out()).toContain("Keep PersistentVolume mcp-postgres-data");
  });

  it("a failed delete: exit 1 with the command to look again", async () => {
    const deps = depsFor(fake, [noArgoApp, { match: "^delete services ", stderr: 'Error from server (Forbidden): services "x" is forbidden\n', code: 1 }, ...scenario()]);
    expect(await main(["-o", "json", "minikube"], deps)).toBe(1);
    const report = JSON.parse(deps.io.out()) as { ok: boolean; results: { id: string; status: string; remediation?: string }[] };
    expect(report.ok).toBe(false);
    expect(report.results.find((r) => r.status === "fail")?.remediation).toMatch(/^re-run teardown; kubectl get services -n mcp/);
  });
});

describe("teardown --dry-run without a cluster", () => {
  it("prints the plan from the rendered overlay, runs nothing, exits 0", async () => {
    const deps = depsFor(fake, scenario("unreachable"));
    expect(await main(["--dry-run", "eks"], deps)).toBe(0);
    const out = deps.io.out();
    expect(out).toMatch(/^teardown eks: no cluster \(cannot reach the cluster of the current context: The connection to the server .* refused.*\): from the rendered overlay alone, namespace mcp\n/);
    expect(out).toContain("dry run: kubectl delete deployments.apps");
    expect(out).toContain("not checked without a cluster: teardown refuses while Application argocd/mcp-stack-eks exists");
    expect(out).toMatch(/kept - holds the data/);
    expect(deletes()).toEqual([]);
    expect(deps.io.err()).toBe("");
  });

  it("-o json: the same plan as JSON, no error", async () => {
    const deps = depsFor(fake, scenario("unreachable"));
    expect(await main(["--dry-run", "-o", "json", "minikube"], deps)).toBe(0);
    const report = JSON.parse(deps.io.out()) as { error?: string; results: { id: string; detail: string }[] };
    expect(report.error).toBeUndefined();
    expect(report.results.find((r) => r.id === "delete/apps/deployments.apps")?.detail).toMatch(/^dry run: kubectl delete deployments.apps .* -n mcp --ignore-not-found --wait=false$/);
  });

  it("without --dry-run an unreachable cluster still ends the command (exit 1)", async () => {
    const deps = depsFor(fake, scenario("unreachable"));
    expect(await main(["minikube"], deps)).toBe(1);
    expect(deps.io.err()).toMatch(/^error: cannot reach the cluster/);
  });
});
