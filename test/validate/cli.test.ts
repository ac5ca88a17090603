import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeRun, fixture, runCli, schemasDir, tempDir } from "./helpers.ts";

describe("validate CLI", () => {
  it("exits 0 with kubeconform's summary line for valid input, accepting single-dash flags", () => {
    const crds = `${schemasDir}/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`;
    const args = ["-summary", "-strict", "-kubernetes-version", "1.36.2", "-schema-location", schemasDir, "-schema-location", crds, fixture("stack.yaml")];
    const run = runCli(args);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(`Summary: 14 resources found in 1 file - Valid: 14, Invalid: 0, Errors: 0, Skipped: 0\n`);
    expect(run.status).toBe(0);
    // without the CRD location the ServiceMonitor has no schema: an error, as in kubeconform
    const noCrds = runCli(["-summary", "-schema-location", schemasDir, fixture("stack.yaml")]);
    expect(noCrds.stdout).toContain("ServiceMonitor mcp-gateway failed validation: could not find schema for ServiceMonitor");
    expect(noCrds.status).toBe(1);
  });

  it("exits 1 on invalid input and prints JSON in kubeconform's format", () => {
    const run = runCli(["--output", "json", "--summary", fixture("list.yaml")]);
    expect(run.status).toBe(1);
    const parsed = JSON.parse(run.stdout);
    expect(parsed.summary).toEqual({ valid: 2, invalid: 1, errors: 0, skipped: 0 });
    expect(parsed.resources[0]).toMatchObject({
      filename: fixture("list.yaml"),
      kind: "ConfigMap",
      name: "second",
      version: "v1",
      status: "statusInvalid",
      validationErrors: [{ path: "/data/count", msg: "got number, want string or null" }],
    });
  });

  it("reads standard input with -, and says so in the summary", () => {
    const run = runCli(["-summary", "-o", "tap", "-"], { input: fs.readFileSync(fixture("valid.json"), "utf8") });
    expect(run.stdout).toBe("TAP version 13\nok 1 - stdin (v1/Service/mcp/from-json)\n1..1\n");
    const text = runCli(["-summary", "-"], { input: "apiVersion: v1\nkind: Namespace\nmetadata: {name: mcp}\n" });
    expect(text.stdout).toBe("Summary: 1 resource found parsing stdin - Valid: 1, Invalid: 0, Errors: 0, Skipped: 0\n");
  });

  it("takes --strict=false, --skip and --ignore-missing-schemas, and writes junit", () => {
    const run = runCli(["-strict=false", "--skip", "Deployment,v1/Service", "--ignore-missing-schemas", "--output", "junit", fixture("stack.yaml")]);
    expect(run.status).toBe(0);
    // Deployment and v1 Services skipped; the other Kubernetes kinds have no non-strict schema here,
    // so they are skipped too; the ServiceMonitor's CRD schema has no strict variant and is valid
    expect(run.stdout).toMatch(/^<testsuites name="kubeconform" time="[\d.e-]+" tests="14" failures="0" disabled="13" errors="0">/);
    expect(run.stderr).toContain("v1.36.2-standalone/ folder");
  });

  it("exits 2 on usage errors: unknown flag, bad version, bad template, bad output", () => {
    for (const args of [["--bogus"], ["-kubernetes-version", "1.36"], ["-schema-location", "x/{{ .Foo }}.json", "x.yaml"], ["-o", "pretty", "x.yaml"]]) {
      const run = runCli(args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(/^error: /);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it("prints usage with --help", () => {
    const run = runCli(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Usage: npm run validate -- [options] [PATH|-]...");
    expect(run.stdout).toContain("--schema-location");
  });

  it("falls back to kubernetes-models when no schema location is reachable, and says so", () => {
    const run = runCli(["-summary", "-schema-location", "/nonexistent/schemas", fixture("stack.yaml")]);
    expect(run.stderr).toContain("unknown fields are NOT checked");
    expect(run.stdout).toBe("Summary: 14 resources found in 1 file - Valid: 14, Invalid: 0, Errors: 0, Skipped: 0\n");
    const typo = runCli(["-schema-location", "/nonexistent/schemas", "-"], {
      input: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: two\n  selector: {}\n  template: {}\n",
    });
    expect(typo.status).toBe(1);
    expect(typo.stdout).toContain("stdin - Deployment d is invalid:");
  });

  it("uses both threads on large input with the same verdicts", () => {
    const dir = tempDir();
    const stack = fs.readFileSync(fixture("stack.yaml"), "utf8");
    const copies = Array.from({ length: 400 }, (_, i) => stack.replaceAll("name: mcp-gateway\n", `name: mcp-gateway-${i}\n`));
    fs.writeFileSync(path.join(dir, "big.yaml"), copies.join("\n---\n") + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: last}\ndata: {n: 1}\n");
    const run = runCli(["-summary", "-n", "2", dir]);
    const how = describeRun(run);
    expect(run.stderr, how).toBe("");
    expect(run.stdout, how).toContain("Summary: 5601 resources found in 1 file - Valid: 5600, Invalid: 1, Errors: 0, Skipped: 0");
    expect(run.stdout.split("\n")[0], how).toMatch(/ConfigMap last is invalid: .* at '\/data\/false': got number, want string or null$/);
    expect(run.status, how).toBe(1);
  });
});

describe("--engine kubeconform", () => {
  const standIn = () => {
    const dir = tempDir();
    const bin = path.join(dir, "kubeconform");
    fs.writeFileSync(
      bin,
      `#!/bin/sh
printf '%s\\n' "$@" > "${dir}/args"
cat <<'JSON'
{
  "resources": [
    {"filename": "a.yaml", "kind": "Deployment", "name": "web", "version": "apps/v1", "status": "statusValid", "msg": ""},
    {"filename": "a.yaml", "kind": "Service", "name": "svc", "version": "v1", "status": "statusInvalid", "msg": "bad port",
     "validationErrors": [{"path": "/spec/ports/0/port", "msg": "got string, want integer"}]},
    {"filename": "b.yaml", "kind": "Widget", "name": "w", "version": "x/v1", "status": "statusSkipped", "msg": ""}
  ],
  "summary": {"valid": 1, "invalid": 1, "errors": 0, "skipped": 1}
}
JSON
exit 1
`,
      { mode: 0o755 },
    );
    return { dir, bin };
  };

  it("passes equivalent flags and maps kubeconform's JSON into our outputs", () => {
    const { dir, bin } = standIn();
    const run = runCli(["--engine", "kubeconform", "--skip", "Widget", "-summary", "-n", "2", "a.yaml", "b.yaml"], { env: { KUBECONFORM: bin } });
    const args = fs.readFileSync(path.join(dir, "args"), "utf8").trim().split("\n");
    expect(args).toEqual([
      "-schema-location", schemasDir,
      "-schema-location", `${schemasDir}/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`,
      "-kubernetes-version", "1.36.2",
      "-strict",
      "-skip", "Widget",
      "-n", "2",
      "-output", "json", "-summary", "-verbose",
      "a.yaml", "b.yaml",
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(
      "a.yaml - Service svc is invalid: bad port\nSummary: 3 resources found in 2 files - Valid: 1, Invalid: 1, Errors: 0, Skipped: 1\n",
    );
    const json = JSON.parse(runCli(["--engine", "kubeconform", "-o", "json", "a.yaml"], { env: { KUBECONFORM: bin } }).stdout);
    expect(json.resources).toEqual([
      { filename: "a.yaml", kind: "Service", name: "svc", version: "v1", status: "statusInvalid", msg: "bad port", validationErrors: [{ path: "/spec/ports/0/port", msg: "got string, want integer" }] },
    ]);
  });

  it("exits 2 with a plain message when no kubeconform is installed", () => {
    const run = runCli(["--engine", "kubeconform", "a.yaml"], { env: { KUBECONFORM: "/nonexistent/kubeconform" } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("cannot run /nonexistent/kubeconform: not installed");
  });
});
