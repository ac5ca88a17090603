// The README's stdin example (`kubectl kustomize overlays/eks | npm run policy -- --overlay eks -`) finds what the
// gate finds for eks: the overlay's profile and its overlay-scoped exemptions apply. Without --overlay, explicit input
// has no overlay, so the eks-scoped exemptions of policy/config.yaml do not apply (what the README says).
import { describe, expect, it } from "vitest";
import { evaluateRenderedOverlay, loadPolicyConfig, runPolicy } from "../../policy/run.ts";
import { loadEnvironments } from "../../scripts/lib/overlays.ts";
import { renderOverlay } from "../../scripts/lib/render.ts";

const eks = loadEnvironments().get("eks")!;
const { yaml } = await renderOverlay("eks", eks);
// What npm run check evaluates for eks (it reads policy/config.yaml).
const key = (f: { ruleId: string; severity: string; object: { kind: string; name: string }; exempted?: unknown }) =>
  `${f.ruleId} ${f.severity} ${f.object.kind}/${f.object.name} ${f.exempted ? "exempted" : "open"}`;

describe("npm run policy -- --overlay ENV - (stdin)", () => {
  it("gives the gate's findings for that overlay, exemptions included", async () => {
    const gate = evaluateRenderedOverlay("eks", yaml, { profile: eks.profile, config: loadPolicyConfig() });
    const [stdin] = await runPolicy({ paths: ["-"], readStdin: () => yaml, overlay: "eks" });
    expect(stdin!.profile).toBe(gate.profile);
    expect(stdin!.findings.map(key).sort()).toEqual(gate.findings.map(key).sort());
    expect(stdin!.summary.exempted).toBeGreaterThan(0);
  });

  it("without --overlay the eks-scoped exemptions do not apply", async () => {
    const [plain] = await runPolicy({ paths: ["-"], readStdin: () => yaml, profile: "production" });
    const gate = evaluateRenderedOverlay("eks", yaml, { profile: eks.profile, config: loadPolicyConfig() });
    // policy/config.yaml exempts image-digest for overlay eks only.
    const digest = (r: typeof gate) => r.findings.filter((f) => f.ruleId === "image-digest");
    expect(digest(gate).length).toBeGreaterThan(0);
    expect(digest(gate).every((f) => f.exempted?.source === "config")).toBe(true);
    expect(digest(plain!).map(key)).toEqual(digest(gate).map((f) => key({ ...f, exempted: undefined })));
  });

  it("an unknown overlay is a usage error naming the environments", async () => {
    await expect(runPolicy({ paths: ["-"], readStdin: () => yaml, overlay: "nope" })).rejects.toThrow(/--overlay nope: no such environment/);
  });
});
