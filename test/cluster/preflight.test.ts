import { describe, expect, it } from "vitest";
import { parseServerVersion } from "../../scripts/cluster/kubectl.ts";
import { MIN_SERVER_VERSION } from "../../scripts/cluster/target.ts";
import { UsageError } from "../../scripts/lib/cli.ts";
import { main } from "../../scripts/preflight.ts";
import { byId, CONTEXT, depsFor, failed, makeFakeKubectl, preflight, target } from "./helpers.ts";
import { scenario } from "./scenarios.ts";
import type { Target } from "../../scripts/cluster/target.ts";

const fake = makeFakeKubectl();

describe("preflight against a healthy cluster", () => {
  it("passes every check for eks and asks kubectl what the seed's checklist asks", async () => {
    const results = await preflight(fake, "eks", scenario());
    expect(failed(results)).toEqual([]);
    const cmds = fake.commands();
    expect(cmds).toContain("version -o json");
    expect(cmds).toContain("auth can-i create deployments.apps -n mcp");
    expect(cmds).toContain("auth can-i create namespaces");
    expect(cmds).toContain("auth can-i create externalsecrets.external-secrets.io -n mcp");
    expect(cmds).toContain("get storageclass -o json");
    expect(cmds).toContain("get ingressclass alb -o json");
    expect(cmds).toContain("get apiservice v1beta1.metrics.k8s.io -o json");
    expect(cmds).toContain("get customresourcedefinition externalsecrets.external-secrets.io -o json");
    expect(cmds).toContain("get clustersecretstore aws-secrets-manager -o json");
    expect(cmds).toContain("get namespace mcp -o json");
    expect(byId(results, "storage-class/postgres-data").detail).toContain("gp3");
    expect(byId(results, "pod-security").detail).toContain("enforce=restricted");
  });

  it("passes --context through to every kubectl call", async () => {
    await preflight(fake, "minikube", scenario());
    const calls = fake.calls();
    expect(calls.length).toBeGreaterThan(5);
    for (const argv of calls) expect(argv.slice(0, 2)).toEqual(["--context", CONTEXT]);
  });

  it("dev: default StorageClass, no ingress, no HPA, so neither ingress nor metrics-server is asked", async () => {
    const results = await preflight(fake, "dev", scenario());
    expect(failed(results)).toEqual([]);
    expect(byId(results, "storage-class/postgres-data").detail).toContain("default class standard");
    expect(results.some((r) => r.id.startsWith("ingress"))).toBe(false);
    expect(results.some((r) => r.id === "metrics-server")).toBe(false);
    expect(fake.commands().some((c) => c.includes("ingressclass") || c.includes("apiservice"))).toBe(false);
  });

  it("manual-pv: no StorageClass needed; its PersistentVolumes checked and creating them is a permission", async () => {
    const results = await preflight(fake, "manual-pv", scenario("noStorageClass"));
    expect(failed(results)).toEqual([]);
    expect(results.some((r) => r.id.startsWith("storage-class"))).toBe(false);
    expect(byId(results, "manual-volumes/mcp-postgres-data").status).toBe("pass");
    expect(fake.commands()).toContain("auth can-i create persistentvolumes");
    expect(fake.commands()).toContain("get persistentvolume mcp-postgres-data -o json");
  });

  it("the base with default settings when no environment is named", async () => {
    const results = await preflight(fake, undefined, scenario());
    expect(failed(results)).toEqual([]);
    expect(byId(results, "server-version").detail).toBe(`v1.31.2 >= ${MIN_SERVER_VERSION.major}.${MIN_SERVER_VERSION.minor}`);
  });
});

describe("preflight against broken clusters", () => {
  it("old server version", async () => {
    const results = await preflight(fake, "minikube", scenario("oldServer"));
    expect(failed(results)).toEqual(["server-version"]);
    expect(byId(results, "server-version").detail).toContain("v1.26.15 is older than 1.29");
    expect(byId(results, "server-version").remediation).toMatch(/upgrade the cluster/);
  });

  it("no StorageClass", async () => {
    const results = await preflight(fake, "minikube", scenario("noStorageClass"));
    expect(failed(results)).toEqual(["storage-class/postgres-data"]);
    expect(byId(results, "storage-class/postgres-data").detail).toContain("no StorageClass at all");
    expect(byId(results, "storage-class/postgres-data").remediation).toContain("is-default-class");
  });

  it("eks: the gp3 class the overlay renders passes when absent, warns when it exists, and needs its CSI driver", async () => {
    const absent = await preflight(fake, "eks", scenario());
    expect(byId(absent, "storage-class/postgres-data").detail).toContain("rendered by the overlay (ebs.csi.aws.com)");
    expect(byId(absent, "csi-driver").status).toBe("pass");
    const exists = await preflight(fake, "eks", [
      { match: "^get storageclass -o json$", json: { items: [{ metadata: { name: "gp3" }, provisioner: "ebs.csi.aws.com" }] } },
      ...scenario(),
    ]);
    expect(byId(exists, "storage-class/postgres-data").status).toBe("warn");
    const noDriver = await preflight(fake, "eks", [{ match: "^get csidriver \\S+ -o json$", stderr: "Error from server (NotFound)\n", code: 1 }, ...scenario()]);
    expect(failed(noDriver)).toEqual(["csi-driver"]);
    expect(byId(noDriver, "csi-driver").remediation).toContain("aws-ebs-csi-driver");
  });

  it("named StorageClass missing where the overlay does not render it", async () => {
    const results = await preflight(fake, "eks", [
      { match: "^get storageclass -o json$", json: { items: [{ metadata: { name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } }] } },
      ...scenario(),
    ], (t) => ({ ...t, settings: { ...t.settings, storageClass: { ...t.settings.storageClass, create: false } }, objects: t.objects.filter((o) => o.kind !== "StorageClass") }));
    expect(failed(results)).toEqual(["storage-class/postgres-data", "storage-class/redis-data"]);
    expect(byId(results, "storage-class/redis-data").remediation).toContain("storageClass.create: true");
  });

  it("eks: the ALB certificate comes from ingress.certificateArn (warning when the controller must discover one)", async () => {
    const results = await preflight(fake, "eks", scenario());
    expect(byId(results, "alb-certificate").detail).toContain("arn:aws:acm:");
    const without = await preflight(fake, "eks", scenario(), (t) => {
      const { certificateArn: _arn, ...ingress } = t.settings.ingress;
      return { ...t, settings: { ...t.settings, ingress } };
    });
    expect(byId(without, "alb-certificate").status).toBe("warn");
  });

  it("an Argo CD environment whose ingress controller publishes no status needs argocd-cm's Ingress health customization", async () => {
    const bareMetal = (t: Target): Target => ({
      ...t,
      settings: { ...t.settings, ingress: { ...t.settings.ingress, controllerPublishesStatus: false } },
    });
    const ok = await preflight(fake, "eks", scenario(), bareMetal);
    expect(byId(ok, "argocd-ingress-health").status).toBe("pass");
    const without = await preflight(fake, "eks", [{ match: "^get configmap argocd-cm -n argocd -o json$", json: { data: {} } }, ...scenario()], bareMetal);
    expect(byId(without, "argocd-ingress-health").status).toBe("fail");
    expect(byId(without, "argocd-ingress-health").remediation).toContain("resource.customizations.health.networking.k8s.io_Ingress");
    const published = await preflight(fake, "eks", scenario());
    expect(published.some((r) => r.id === "argocd-ingress-health")).toBe(false);
  });

  it("manual-pv: the TLS Secret its Gateway is granted must exist", async () => {
    const ok = await preflight(fake, "manual-pv", scenario());
    expect(byId(ok, "credentials/mcp-gateway-tls").status).toBe("pass");
    const missing = await preflight(fake, "manual-pv", [
      { match: "^get secret mcp-gateway-tls -n \\S+ -o json$", stderr: "Error from server (NotFound)\n", code: 1 },
      ...scenario(),
    ]);
    expect(failed(missing)).toEqual(["credentials/mcp-gateway-tls"]);
    expect(byId(missing, "credentials/mcp-gateway-tls").remediation).toContain("create secret tls mcp-gateway-tls");
  });

  it("no ingress controller or class (the base routes with an ingress-nginx Ingress)", async () => {
    const results = await preflight(fake, undefined, scenario("noIngress"));
    expect(failed(results)).toEqual(["ingress-class/nginx", "ingress-controller"]);
    expect(byId(results, "ingress-class/nginx").remediation).toContain("minikube addons enable ingress");
    expect(fake.commands()).toContain("get pods -A -l app.kubernetes.io/name=ingress-nginx -o json");
  });

  it("missing metrics-server", async () => {
    const results = await preflight(fake, "eks", scenario("noMetricsServer"));
    expect(failed(results)).toEqual(["metrics-server"]);
    expect(byId(results, "metrics-server").remediation).toContain("metrics-server");
  });

  it("missing CRDs", async () => {
    const results = await preflight(fake, "eks", scenario("noCrds"));
    const crds = failed(results);
    expect(crds).toContain("crd/externalsecrets.external-secrets.io");
    expect(crds.every((id) => id.startsWith("crd/"))).toBe(true);
    expect(byId(results, "crd/externalsecrets.external-secrets.io").remediation).toContain("External Secrets Operator");
  });

  it("manual PersistentVolumes bound elsewhere or Released", async () => {
    const results = await preflight(fake, "manual-pv", scenario("foreignPv"));
    expect(byId(results, "manual-volumes/mcp-postgres-data").detail).toContain("claimed by other/db");
    expect(byId(results, "manual-volumes/mcp-redis-data").remediation).toContain("/spec/claimRef/uid");
  });

  it("existingSecrets: a missing Secret, with the command that creates it", async () => {
    const results = await preflight(fake, "manual-pv", scenario("missingSecret"));
    expect(failed(results)).toEqual(["credentials/redis-credentials"]);
    expect(byId(results, "credentials/redis-credentials").remediation).toBe(
      "kubectl create secret generic redis-credentials -n mcp --from-literal=REDIS_PASSWORD=...",
    );
  });

  it("permissions denied", async () => {
    const results = await preflight(fake, "manual-pv", scenario("denied"));
    expect(failed(results)).toEqual(["permissions"]);
    expect(byId(results, "permissions").detail).toBe("cannot create deployments.apps -n mcp, persistentvolumes (cluster)");
  });

  it("Pod Security level reported, compatible levels pass", async () => {
    const results = await preflight(fake, "minikube", [
      { match: "^get namespace mcp -o json$", json: { metadata: { labels: { "pod-security.kubernetes.io/enforce": "baseline" } }, status: { phase: "Active" } } },
      ...scenario(),
    ]);
    expect(byId(results, "pod-security")).toMatchObject({ status: "pass" });
    expect(byId(results, "pod-security").detail).toContain("enforce=baseline");
  });
});

describe("server versions", () => {
  it("reads EKS-style minors", () => {
    expect(parseServerVersion({ serverVersion: { major: "1", minor: "29+", gitVersion: "v1.29.10-eks-7f9249a" } })).toEqual({
      major: 1,
      minor: 29,
      git: "v1.29.10-eks-7f9249a",
    });
    expect(parseServerVersion({ clientVersion: {} })).toBeUndefined();
  });

  it("target renders once", async () => {
    expect(await target("eks")).toBe(await target("eks"));
  });
});

describe("npm run preflight (main, in-process)", () => {
  it("an unreachable cluster: one line on stderr in text, `error` in JSON, exit 1", async () => {
    const text = depsFor(fake, scenario("unreachable"));
    expect(await main(["eks"], text)).toBe(1);
    expect(text.io.out()).toBe("");
    expect(text.io.err()).toBe(
      "error: cannot reach the cluster of the current context: The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n",
    );
    const json = depsFor(fake, scenario("unreachable"));
    expect(await main(["--context", "far", "-o", "json", "eks"], json)).toBe(1);
    expect(JSON.parse(json.io.out())).toMatchObject({ ok: false, error: expect.stringMatching(/^cannot reach the cluster of context "far": The connection/) });
  });

  it("a healthy cluster: exit 0, the summary, --context on every call", async () => {
    const deps = depsFor(fake, scenario());
    expect(await main(["--context", "ctx-a", "minikube"], deps)).toBe(0);
    expect(deps.io.out()).toContain("preflight minikube: context ctx-a, server v1.31.2, namespace mcp\n");
    expect(deps.io.err()).toBe("");
    for (const argv of fake.calls()) expect(argv.slice(0, 2)).toEqual(["--context", "ctx-a"]);
  });

  it("usage errors before touching the cluster", async () => {
    const deps = depsFor(fake, scenario());
    await expect(main(["--output", "xml"], deps)).rejects.toThrow(UsageError);
    await expect(main(["dev", "eks"], deps)).rejects.toThrow(UsageError);
    expect(fake.calls()).toEqual([]);
  });
});
