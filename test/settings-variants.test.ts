// Settings variants the shipped overlays don't use, rendered straight from the model: what each choice changes.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseSettings } from "../scripts/settings/load.ts";
import { buildStack } from "../scripts/stack/index.ts";
import { plain } from "../scripts/generate/emit.ts";
import { generate } from "../scripts/generate/run.ts";
import { kustomizeBuild } from "../scripts/lib/kustomize.ts";
import { parseManifests as parseObjects } from "../scripts/lib/manifest.ts";
import { copyRepo } from "./helpers/repo.ts";
import { InputError } from "../scripts/lib/cli.ts";

type Any = Record<string, any>;
const render = (yaml: string) => buildStack({ settings: parseSettings(yaml, "variant.yaml") }).map((o) => plain(o.object) as Any);
const find = (objects: Any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe("settings variants", () => {
  it("a gateway version bump renames the migration Job, so re-applying never edits an immutable Job", () => {
    const before = render("{}\n").filter((o) => o.kind === "Job").map((o) => o.metadata.name);
    const after = render("gateway:\n  image:\n    tag: v1.0.9\n").filter((o) => o.kind === "Job").map((o) => o.metadata.name);
    expect(before.some((n) => n.startsWith("mcp-migration-v1-0-8-"))).toBe(true);
    expect(after.some((n) => n.startsWith("mcp-migration-v1-0-9-"))).toBe(true);
    expect(after.some((n) => n.startsWith("mcp-migration-v1-0-8"))).toBe(false);
  });

  it("without a migration Job the gateway migrates itself and its startup probe waits on /health", () => {
    const objects = render("migration:\n  enabled: false\n");
    expect(objects.some((o) => o.kind === "Job" && o.metadata.name.startsWith("mcp-migration"))).toBe(false);
    const c = find(objects, "Deployment", "mcp-gateway")!.spec.template.spec.containers[0];
    expect(c.env.find((e: Any) => e.name === "MCPGATEWAY_SKIP_MIGRATIONS").value).toBe("false");
    expect(c.startupProbe.httpGet.path).toBe("/health");
    expect(find(objects, "NetworkPolicy", "postgres")!.spec.ingress[0].from.length).toBeGreaterThan(0);
  });

  it("ingress controller: ingress-nginx admits its namespace, an AWS load balancer its source CIDRs", () => {
    const nginx = render("ingress:\n  controller: ingress-nginx\n  controllerNamespace: ingress-system\n");
    const alb = render("ingress:\n  controller: aws-load-balancer\n  className: alb\n  sourceCidrs: [10.1.0.0/16]\n");
    const peers = (objects: Any[]) => find(objects, "NetworkPolicy", "mcp-gateway")!.spec.ingress[0].from;
    expect(peers(nginx)).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-system" } } }]);
    expect(peers(alb)).toEqual([{ ipBlock: { cidr: "10.1.0.0/16" } }]);
    expect(find(alb, "Ingress", "mcp-gateway")!.metadata.annotations["alb.ingress.kubernetes.io/target-type"]).toBe("ip");
    expect(find(nginx, "Ingress", "mcp-gateway")!.metadata.annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"]).toBe("true");
    // only ingress-nginx can strip the /fast-time prefix
    expect(find(alb, "Ingress", "fast-time-server")).toBeUndefined();
    expect(find(nginx, "Ingress", "fast-time-server")).toBeDefined();
  });

  it.each([
    ["hostPath", "{ type: hostPath, path: /mnt/data/postgres }", (pv: Any) => expect(pv.spec.hostPath).toEqual({ path: "/mnt/data/postgres", type: "DirectoryOrCreate" })],
    ["nfs", "{ type: nfs, path: /exports/postgres, server: nfs.example.com }", (pv: Any) => expect(pv.spec.nfs).toEqual({ server: "nfs.example.com", path: "/exports/postgres" })],
    ["local", "{ type: local, path: /mnt/disks/ssd1, node: node-1 }", (pv: Any) => {
      expect(pv.spec.local).toEqual({ path: "/mnt/disks/ssd1" });
      expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(["node-1"]);
    }],
  ])("manual volume %s: a Retain PersistentVolume bound to exactly the claim", (_type, volume, check) => {
    const objects = render(`postgres:\n  persistence:\n    size: 10Gi\n    manualVolume: ${volume}\n`);
    const pv = find(objects, "PersistentVolume", "mcp-postgres-data")!;
    const claim = find(objects, "PersistentVolumeClaim", "postgres-data")!;
    check(pv);
    expect(pv.spec).toMatchObject({ storageClassName: "", persistentVolumeReclaimPolicy: "Retain", capacity: { storage: "10Gi" } });
    expect(pv.spec.claimRef).toMatchObject({ name: "postgres-data", namespace: "mcp" });
    expect(claim.spec).toMatchObject({ storageClassName: "", volumeName: "mcp-postgres-data" });
  });

  it("placement and pull secrets reach every pod; extra labels never reach selectors", () => {
    const objects = render("imagePullSecrets: [regcred]\nnodeSelector: { pool: mcp }\ntolerations: [{ key: dedicated, operator: Equal, value: mcp, effect: NoSchedule }]\nlabels: { team: platform }\n");
    const workloads = objects.filter((o) => ["Deployment", "StatefulSet", "Job"].includes(o.kind));
    expect(workloads.length).toBeGreaterThan(3);
    for (const w of workloads) {
      const pod = w.spec.template.spec;
      expect(pod.imagePullSecrets).toEqual([{ name: "regcred" }]);
      expect(pod.nodeSelector).toEqual({ pool: "mcp" });
      expect(pod.tolerations[0].key).toBe("dedicated");
      expect(w.spec.template.metadata.labels.team).toBe("platform");
      if (w.spec.selector) expect(w.spec.selector.matchLabels.team).toBeUndefined();
    }
  });
});

describe("hand-written extras in an overlay folder", () => {
  const copy = copyRepo({ credentials: "fixed" });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  it("extraResources and extraPatches are applied after the generated overlay", async () => {
    const dir = path.join(copy, "overlays/manual-pv");
    fs.writeFileSync(path.join(dir, "team-quota.yaml"), "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: mcp-quota\nspec:\n  hard:\n    pods: \"50\"\n");
    fs.writeFileSync(path.join(dir, "gateway-priority.yaml"), "- op: add\n  path: /spec/template/spec/priorityClassName\n  value: business-critical\n");
    fs.appendFileSync(
      path.join(dir, "settings.yaml"),
      "extraResources: [team-quota.yaml]\nextraPatches:\n  - path: gateway-priority.yaml\n    target: { kind: Deployment, name: mcp-gateway }\n",
    );
    const { drift } = await generate(copy, { check: false });
    expect(drift.changed).toContain("overlays/manual-pv/kustomization.yaml");
    const objects = parseObjects((await kustomizeBuild(dir)).yaml) as Any[];
    expect(find(objects, "ResourceQuota", "mcp-quota")!.metadata.namespace).toBe("mcp");
    expect(find(objects, "Deployment", "mcp-gateway")!.spec.template.spec.priorityClassName).toBe("business-critical");
    // the hand-written files are the user's: generate neither rewrites nor removes them
    expect(fs.readFileSync(path.join(dir, "team-quota.yaml"), "utf8")).toContain("mcp-quota");
    expect((await generate(copy, { check: true })).drift).toEqual({ changed: [], missing: [], stale: [] });
  });

  it("a missing extra file is a settings error naming the key", async () => {
    fs.appendFileSync(path.join(copy, "overlays/eks/settings.yaml"), "extraResources: [nowhere.yaml]\n");
    const err = await generate(copy, { check: false }).then(() => undefined, (e: unknown) => e as InputError);
    expect(err).toBeInstanceOf(InputError);
    expect(err?.format()).toMatch(/^overlays\/eks\/settings\.yaml:\d+: extraResources\.0: overlays\/eks\/nowhere\.yaml: file does not exist \(expected a file in overlays\/eks\/\)$/);
  });
});
