// What we ship is valid against the strict offline schemas of both supported Kubernetes versions:
// the base alone, every overlay (built-in kinds and CRDs: ExternalSecret, ServiceMonitor, ...) and the root.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { kustomizeBuild } from "../scripts/lib/kustomize.ts";
import { renderOverlay } from "../scripts/lib/render.ts";
import { loadEnvironments } from "../scripts/lib/overlays.ts";
import { validateDocuments } from "../scripts/validate/engine.ts";
import { REPO_ROOT } from "./helpers/repo.ts";

const targets: [string, () => Promise<string>][] = [
  ["base", async () => (await kustomizeBuild(path.join(REPO_ROOT, "base"))).yaml],
  ["root (Argo CD)", async () => (await kustomizeBuild(REPO_ROOT)).yaml],
  ...[...loadEnvironments()].map(([env, settings]): [string, () => Promise<string>] => [`overlays/${env}`, async () => (await renderOverlay(env, settings)).yaml]),
];

describe.each(["1.36.2", "1.33.1"])("strict schemas, Kubernetes %s", (kubernetesVersion) => {
  it.each(targets)("%s is valid, nothing skipped", async (name, render) => {
    const report = await validateDocuments([{ filename: name, content: await render() }], { kubernetesVersion, strict: true });
    const problems = report.resources.filter((r) => r.status !== "statusValid").map((r) => `${r.kind}/${r.name}: ${r.msg}`);
    expect(problems).toEqual([]);
    expect(report.summary.valid).toBeGreaterThan(0);
    expect(report.summary.skipped).toBe(0);
  });
});
