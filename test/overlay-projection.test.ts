// Issue 14: overlays a kustomize expert would write by hand, and version bumps that stay small.
// Budgets: no overlay kustomization.yaml over 200 lines; no index-addressed patch path; every patch carries a
// comment naming settings that exist; a gateway tag bump changes at most 20 lines of generated files per
// environment (its fleet's cluster overlays included) and creates or deletes no file.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffLines } from "diff";
import { parseDocument, isSeq, type YAMLMap } from "yaml";
import { generate } from "../scripts/generate/run.ts";
import { listClusterOverlays, listOverlays, loadEnvironments } from "../scripts/lib/overlays.ts";
import { kustomizeBuild } from "../scripts/lib/kustomize.ts";
import { parseManifests } from "../scripts/lib/manifest.ts";
import { buildStack } from "../scripts/stack/index.ts";
import { buildClusterStack } from "../scripts/stack/fleet.ts";
import { defaultSettings } from "../scripts/settings/load.ts";
import { settingsSchema } from "../scripts/settings/schema.ts";
import { strategicMergePatch } from "../scripts/generate/strategic-merge.ts";
import { imageEntries } from "../scripts/generate/images.ts";
import { changedSettings, settingsBehind } from "../scripts/generate/attribution.ts";
import { plain } from "../scripts/generate/emit.ts";
import type { Manifest } from "../scripts/lib/manifest.ts";
import { copyRepo, REPO_ROOT } from "./helpers/repo.ts";

const ENVS = listOverlays(path.join(REPO_ROOT, "overlays"));
const read = (f: string) => fs.readFileSync(path.join(REPO_ROOT, f), "utf8");

/** Every JSON-patch path in an overlay: inline patches, patch files, patchesJson6902. */
function jsonPatchPaths(env: string): string[] {
  const k = parseDocument(read(`overlays/${env}/kustomization.yaml`)).toJS() as Record<string, unknown>;
  const texts = [
    ...((k.patches ?? []) as { patch?: string; path?: string }[]).map((p) => p.patch ?? read(`overlays/${env}/${p.path}`)),
    ...((k.patchesJson6902 ?? []) as { path: string }[]).map((p) => read(`overlays/${env}/${p.path}`)),
  ];
  return texts.flatMap((t) => {
    const doc = parseDocument(t).toJS() as unknown;
    return Array.isArray(doc) ? doc.map((op: { path: string }) => op.path) : [];
  });
}

describe("overlays read as what differs", () => {
  for (const env of ENVS) {
    it(`${env}: kustomization.yaml has at most 200 lines`, () => {
      expect(read(`overlays/${env}/kustomization.yaml`).split("\n").length - 1).toBeLessThanOrEqual(200);
    });
    it(`${env}: no patch addresses a list element by index`, () => {
      const paths = jsonPatchPaths(env);
      for (const p of paths) expect(p, p).not.toMatch(/\/(\d+|-)(\/|$)/);
    });
    it(`${env}: every patch carries a comment naming settings that exist`, () => {
      const doc = parseDocument(read(`overlays/${env}/kustomization.yaml`));
      const patches = (doc.contents as YAMLMap).get("patches");
      if (!patches) return;
      expect(isSeq(patches)).toBe(true);
      // A setting exists when the settings schema has it (maps such as gateway.config are one setting).
      const exists = (dotted: string) => {
        type Node = { properties?: Record<string, unknown> } | undefined;
        let node = settingsSchema as unknown as Node;
        for (const k of dotted.split(".")) node = node?.properties?.[k] as Node;
        return node !== undefined;
      };
      const seq = patches as { commentBefore?: string | null; items: { commentBefore?: string | null }[] };
      for (const [i, item] of seq.items.entries()) {
        // The `yaml` package hangs the first item's comment on the list itself.
        const comment = (item.commentBefore ?? (i === 0 ? seq.commentBefore : "") ?? "").trim();
        expect(comment, JSON.stringify(item)).not.toBe("");
        if (comment.startsWith("extraPatches")) continue;
        const named = comment.replace(/ and \d+ more settings/, "").replace(/ \(new Job name\)$/, "").split(", ");
        for (const setting of named) expect(exists(setting), `${env}: ${setting}`).toBe(true);
      }
    });
  }
  it("Velero's annotations are a Component of patches, picked by the overlays that enable it, and said nowhere else", () => {
    const component = parseDocument(read("components/velero/kustomization.yaml")).toJS() as { kind: string; resources?: string[]; patches: { path: string }[] };
    expect(component.kind).toBe("Component");
    expect(component.resources).toBeUndefined();
    const patch = parseDocument(read(`components/velero/${component.patches[0]!.path}`)).toJS() as Manifest;
    expect(patch).toMatchObject({ kind: "StatefulSet", metadata: { name: "postgres" }, spec: { template: { metadata: { annotations: { "pre.hook.backup.velero.io/container": "postgres" } } } } });
    for (const env of ENVS) {
      const k = parseDocument(read(`overlays/${env}/kustomization.yaml`)).toJS() as { components?: string[] };
      const settings = parseDocument(read(`overlays/${env}/settings.yaml`)).toJS() as { velero?: { enabled?: boolean } };
      expect((k.components ?? []).includes("../../components/velero"), env).toBe(settings.velero?.enabled === true);
      const patchDir = path.join(REPO_ROOT, "overlays", env, "patches");
      const texts = [read(`overlays/${env}/kustomization.yaml`), ...(fs.existsSync(patchDir) ? fs.readdirSync(patchDir).map((f) => read(`overlays/${env}/patches/${f}`)) : [])];
      for (const t of texts) expect(t, env).not.toContain("pre.hook.backup.velero.io");
    }
  });
  it("the model's stack version is one labels entry, not a label in base files", () => {
    const base = parseDocument(read("base/kustomization.yaml")).toJS() as { labels: { pairs: Record<string, string> }[] };
    expect(base.labels[0]!.pairs["app.kubernetes.io/version"]).toBe(defaultSettings().gateway.image.tag);
    for (const f of fs.readdirSync(path.join(REPO_ROOT, "base")).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")) {
      expect(read(`base/${f}`), f).not.toContain("app.kubernetes.io/version");
    }
  });
});

describe("a gateway image tag bump", () => {
  const jobsOf = async (dir: string) =>
    new Map(parseManifests((await kustomizeBuild(dir)).yaml).filter((o) => o.kind === "Job").map((o) => [o.metadata.name, o]));
  const bump = (file: string) => {
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, /^gateway:\n/m.test(text) ? text.replace(/^gateway:\n/m, "gateway:\n  image:\n    tag: v1.0.9\n") : `${text}\ngateway:\n  image:\n    tag: v1.0.9\n`);
  };
  it("changes at most 20 lines of generated files per environment, its cluster overlays included, and creates or deletes no file", async () => {
    const copy = copyRepo();
    try {
      for (const env of ["dev", "minikube"]) {
        const creds = path.join(REPO_ROOT, "overlays", env, "credentials");
        if (fs.existsSync(creds)) fs.cpSync(creds, path.join(copy, "overlays", env, "credentials"), { recursive: true });
      }
      const clusters = listClusterOverlays(copy).map((c) => c.dir);
      expect(clusters.length).toBeGreaterThan(0);
      const jobsBefore = await Promise.all(clusters.map((d) => jobsOf(path.join(copy, d))));
      const before = (await generate(copy, { check: true })).plan;
      for (const env of ENVS) bump(path.join(copy, "overlays", env, "settings.yaml"));
      const after = (await generate(copy, { check: false })).plan;
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      const changed = new Map<string, number>();
      for (const [file, content] of after) {
        const lines = diffLines(before.get(file) ?? "", content).filter((c) => c.added || c.removed).reduce((n, c) => n + (c.count ?? 0), 0);
        if (!lines) continue;
        // A fleet's cluster overlays (clusters/<env>/<cluster>/) count toward their environment.
        const env = /^(?:overlays|clusters)\/([^/]+)\//.exec(file)?.[1] ?? "(elsewhere)";
        changed.set(env, (changed.get(env) ?? 0) + lines);
      }
      expect(changed.has("(elsewhere)")).toBe(false);
      console.log(`lines changed by the bump: ${JSON.stringify(Object.fromEntries(changed))}`);
      for (const env of ENVS) {
        expect(changed.get(env), env).toBeGreaterThan(0);
        expect(changed.get(env), env).toBeLessThanOrEqual(20);
      }
      // The cluster overlays name no Job: the bump leaves them alone.
      for (const [file] of after) if (file.startsWith("clusters/")) expect(after.get(file), file).toBe(before.get(file));
      // The bump is said by images and the stack version label, and the Jobs get new names.
      const eks = after.get("overlays/eks/kustomization.yaml")!;
      expect(eks).toContain("- name: ghcr.io/ibm/mcp-context-forge\n    newTag: v1.0.9");
      expect(eks).toContain("app.kubernetes.io/version: v1.0.9");
      expect(eks).toMatch(/"value":"mcp-migration-v1-0-9-[0-9a-f]{8}"/);
      // Re-applying after the bump never edits an immutable Job: in every cluster each Job has a new name.
      const jobsAfter = await Promise.all(clusters.map((d) => jobsOf(path.join(copy, d))));
      clusters.forEach((dir, k) => {
        expect(jobsAfter[k]!.size, dir).toBe(jobsBefore[k]!.size);
        for (const name of jobsAfter[k]!.keys()) expect(jobsBefore[k]!.has(name), `${dir}: ${name}`).toBe(false);
        for (const job of jobsAfter[k]!.values()) expect(job.spec?.template, dir).toMatchObject({ spec: { containers: [expect.objectContaining({ image: expect.stringContaining(":v1.0.9") })] } });
      });
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }, 180_000);
});

describe("a fleet cluster's own values", () => {
  it("rename that cluster's Jobs (and only those), so kubectl apply never edits one whose content changed", async () => {
    const env = loadEnvironments(path.join(REPO_ROOT, "overlays")).get("eks")!;
    const jobs = (s: typeof env, i: number) =>
      new Map(buildClusterStack(s, s.clusters[i]!).filter((o) => o.object.kind === "Job").map((o) => [o.object.metadata!.name!, JSON.stringify((o.object as { spec?: unknown }).spec)]));
    const moved = structuredClone(env);
    moved.clusters[0]!.host = "canary2.eu.mcp.example.com";
    const [a0, b0, a1, b1] = [jobs(env, 0), jobs(moved, 0), jobs(env, 1), jobs(moved, 1)];
    for (const name of b0.keys()) expect(a0.has(name), name).toBe(false);
    expect([...b1]).toEqual([...a1]);
    // The same name in two clusters is never two contents; a cluster's Jobs differ from the environment's by name.
    const envJobs = new Set(buildStack({ settings: env }).filter((o) => o.object.kind === "Job").map((o) => o.object.metadata!.name!));
    for (const name of a0.keys()) expect(envJobs.has(name), name).toBe(false);
    for (const name of a0.keys()) expect(name).toMatch(/-[0-9a-f]{8}-[0-9a-f]{8}$/);
  });
});

describe("strategic-merge patches", () => {
  const deployment = (env: { name: string; value: string }[], volumes: unknown[]) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d" },
    spec: { template: { spec: { containers: [{ name: "c", image: "x:1", env }], volumes } } },
  });
  it("keys containers, env and volumes by name, keeps the order and deletes what goes", () => {
    const have = deployment([{ name: "A", value: "1" }, { name: "B", value: "2" }, { name: "C", value: "3" }], [{ name: "v", emptyDir: {} }]);
    const want = deployment([{ name: "A", value: "1" }, { name: "B", value: "9" }], [{ name: "v", persistentVolumeClaim: { claimName: "p" } }]);
    expect(strategicMergePatch(have, want)).toEqual({
      spec: {
        template: {
          spec: {
            containers: [{ name: "c", env: [{ name: "A" }, { name: "B", value: "9" }, { name: "C", $patch: "delete" }] }],
            volumes: [{ name: "v", persistentVolumeClaim: { claimName: "p" }, emptyDir: null }],
          },
        },
      },
    });
  });
  it("names nothing before the first change when the rest stays in order", () => {
    const have = deployment([{ name: "A", value: "1" }, { name: "B", value: "2" }], []);
    const want = deployment([{ name: "A", value: "0" }, { name: "B", value: "2" }], []);
    expect(strategicMergePatch(have, want)).toEqual({ spec: { template: { spec: { containers: [{ name: "c", env: [{ name: "A", value: "0" }] }] } } } });
  });
  it("gives lists without a merge key whole and says nothing for equal objects", () => {
    const np = (ports: number[]) => ({ spec: { ingress: [{ ports: ports.map((port) => ({ port })) }] } });
    expect(strategicMergePatch(np([1, 2]), np([1, 3]))).toEqual({ spec: { ingress: [{ ports: [{ port: 1 }, { port: 3 }] }] } });
    expect(strategicMergePatch(np([1]), np([1]))).toBeUndefined();
  });
});

describe("images and attribution", () => {
  const job = (image: string, name = "j"): Manifest => ({ apiVersion: "batch/v1", kind: "Job", metadata: { name }, spec: { template: { spec: { containers: [{ name: "c", image }] } } } });
  it("one images entry per image name whose every use changes alike; mixed uses are left to patches", () => {
    expect(imageEntries([job("r.io/a:1", "x"), job("r.io/a:1", "y")], [job("r.io/a:2", "x"), job("r.io/a:2", "y")])).toEqual([{ name: "r.io/a", newTag: "2" }]);
    expect(imageEntries([job("r.io/a:1", "x"), job("r.io/a:1", "y")], [job("r.io/a:2", "x"), job("r.io/a:1", "y")])).toEqual([]);
    expect(imageEntries([job("host:5000/a:1")], [job("host:5000/b:1@sha256:ab")])).toEqual([{ name: "host:5000/a", newName: "host:5000/b", newTag: "1", digest: "sha256:ab" }]);
  });
  it("names each changed setting; maps with empty defaults are one setting", () => {
    const d = defaultSettings();
    const s = { ...d, gateway: { ...d.gateway, replicas: 5, config: { LOG_LEVEL: "DEBUG", A: "b" } } };
    expect(changedSettings(s, d).map((p) => p.join(".")).sort()).toEqual(["gateway.config", "gateway.replicas"]);
  });
  it("names a setting only when the stack builds with it back at its default: a variant whose object fails its schema names none, though its other objects were validated before", () => {
    const d = defaultSettings();
    const s = structuredClone(d);
    s.gateway.resources.limits.memory = "3Gi";
    const env = buildStack({ settings: s }).map((o) => plain(o.object) as Manifest);
    const deployment = env.find((o) => o.kind === "Deployment" && o.metadata.name === "mcp-gateway")!;
    // The valid default first: its objects' texts are known valid when the invalid one is rebuilt.
    expect(settingsBehind(s, d, env)([deployment])).toBe("gateway.resources.limits.memory");
    const invalid = structuredClone(d);
    (invalid.gateway.resources.limits as Record<string, unknown>).memory = { much: true };
    expect(() => buildStack({ settings: invalid })).toThrow(/Deployment\/mcp-gateway is not a valid object/);
    expect(settingsBehind(s, invalid, env)([deployment])).not.toContain("gateway.resources.limits.memory");
  });
});
