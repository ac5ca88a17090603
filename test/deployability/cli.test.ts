// `npm run deployability`, in-process: exit codes (0 clean, 1 findings, 2 usage or bad input), the three
// report formats, exemptions with a reason.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../../scripts/deployability.ts";
import { scratchDir } from "../helpers/scratch.ts";

const FIXTURE = path.join(import.meta.dirname, "fixtures", "today");
const tmp = scratchDir("deployability-");

async function run(args: string[]) {
  let out = "";
  let err = "";
  const code = await cli(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("npm run deployability", () => {
  it("--help prints the usage with the exit codes and exits 0", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: npm run deployability/);
    expect(r.out).toContain("Exit codes: 0 no unexempted error, 1 an unexempted error finding, 2 usage or unreadable input.");
  });

  it("exits 1 on today's output, with JSON findings", async () => {
    const r = await run(["--from", FIXTURE, "--output", "json", "eks"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { findings: { ruleId: string; object: { name: string }; overlay: string }[]; summary: { error: number } };
    expect(doc.summary.error).toBeGreaterThan(0);
    expect(doc.findings.every((f) => f.overlay === "eks")).toBe(true);
    expect(doc.findings.some((f) => f.ruleId === "first-sync-never-healthy" && f.object.name === "mcp-gateway-metrics-token")).toBe(true);
  });

  it("writes SARIF whose results point at rules in its table and at the saved file's lines", async () => {
    const r = await run(["--from", FIXTURE, "-o", "sarif", "minikube"]);
    expect(r.code).toBe(1);
    const run0 = JSON.parse(r.out).runs[0];
    expect(run0.tool.driver.name).toBe("mcp-stack-deployability");
    const cookie = run0.results.find((x: { ruleId: string }) => x.ruleId === "cookie-secure-http");
    expect(run0.tool.driver.rules[cookie.ruleIndex].id).toBe("cookie-secure-http");
    expect(cookie.locations[0].physicalLocation.artifactLocation.uri).toBe("test/deployability/fixtures/today/minikube.yaml");
    expect(cookie.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
  });

  it("exits 0 on the current overlays", async () => {
    const r = await run([]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✔ 0 error\(s\)/);
  });

  it("an exemption with a reason marks the finding, and it no longer fails", async () => {
    const config = path.join(tmp, "config.yaml");
    fs.writeFileSync(config, "exemptions:\n  - rule: cookie-secure-http\n    overlay: minikube\n    reason: plain-http lab cluster, UI not used\n");
    const r = await run(["--from", FIXTURE, "--config", config, "-o", "json", "minikube"]);
    const f = JSON.parse(r.out).findings.find((x: { ruleId: string }) => x.ruleId === "cookie-secure-http");
    expect(f.exempted).toEqual({ reason: "plain-http lab cluster, UI not used", source: "config" });
  });

  it("exits 2 with one line naming what is wrong on bad usage or input", async () => {
    const bad = await run(["--output", "xml"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('error: unknown --output "xml" (expected text, json, sarif)\n');
    const unknown = await run(["nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown environment "nope" (expected dev, eks, manual-pv, minikube)');
    expect((await run(["--from", path.join(tmp, "missing")])).code).toBe(2);
    // a folder with nothing to analyse, or a rendering without its settings, is bad input, not a pass on 0 objects
    const empty = fs.mkdtempSync(path.join(tmp, "empty-"));
    expect(await run(["--from", empty])).toMatchObject({ code: 2, err: `error: --from ${empty}: no saved rendering in it (expected <env>.yaml with <env>.settings.yaml)\n` });
    fs.copyFileSync(path.join(FIXTURE, "eks.yaml"), path.join(empty, "eks.yaml"));
    const alone = await run(["--from", empty]);
    expect(alone.code).toBe(2);
    expect(alone.err).toContain(`--from ${empty}: eks.yaml without eks.settings.yaml beside it`);
    // a dangling link among the files is not one of them (no ENOENT from stat)
    fs.symlinkSync(path.join(tmp, "gone.yaml"), path.join(empty, "dangling.yaml"));
    const dangling = await run(["--from", empty]);
    expect(dangling.code).toBe(2);
    expect(dangling.err).toContain(`--from ${empty}: eks.yaml without eks.settings.yaml beside it`);
    const noReason = path.join(tmp, "no-reason.yaml");
    fs.writeFileSync(noReason, "exemptions:\n  - rule: cookie-secure-http\n");
    const r = await run(["--from", FIXTURE, "--config", noReason]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no-reason\.yaml: exemptions\[0\]\.reason: an exemption needs a reason/);
    const unknownRule = path.join(tmp, "unknown-rule.yaml");
    fs.writeFileSync(unknownRule, "exemptions:\n  - rule: no-such-rule\n    reason: x\n");
    expect((await run(["--from", FIXTURE, "--config", unknownRule])).err).toContain('unknown rule "no-such-rule"');
    expect((await run(["--bogus"])).code).toBe(2);
  });
});
