// The engine as a package of its own: it imports nothing outside its directory but its declared
// dependencies, its CLI runs in-process on any manifests, and plugins add rules, overrides and profiles.
import { describe, expect, it, onTestFinished } from "vitest";
import { BUILTIN_RULES, createEngine, parseManifests, type CheckRule, type PolicyPlugin } from "../src/index.ts";
import { main } from "../src/cli.ts";
const fs = process.getBuiltinModule("node:fs");
const os = process.getBuiltinModule("node:os");
const path = process.getBuiltinModule("node:path");

const PACKAGE_DIR = path.resolve(import.meta.dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")) as { dependencies: Record<string, string> };

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith(".ts") ? [full] : [];
  });
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web
      image: nginx:latest
`;

function runCli(args: string[], stdin = "") {
  let stdout = "";
  let stderr = "";
  return main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => stdin }).then((code) => ({ code, stdout, stderr }));
}

describe("policy-engine package", () => {
  it("imports only node: modules, its declared dependencies and its own files", () => {
    for (const file of [...sourceFiles(path.join(PACKAGE_DIR, "src")), ...sourceFiles(path.join(PACKAGE_DIR, "bin"))]) {
      const text = fs.readFileSync(file, "utf8");
      for (const m of text.matchAll(/^\s*(?:import|export)[^"']*from\s+["']([^"']+)["']/gm)) {
        const spec = m[1]!;
        if (spec.startsWith("node:")) continue;
        if (spec.startsWith(".")) {
          const target = path.resolve(path.dirname(file), spec);
          expect(target.startsWith(PACKAGE_DIR + path.sep), `${path.relative(PACKAGE_DIR, file)} imports ${spec}`).toBe(true);
          continue;
        }
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        expect(Object.keys(pkg.dependencies), `${path.relative(PACKAGE_DIR, file)} imports ${spec}`).toContain(name);
      }
    }
  });

  it("knows nothing of the MCP stack", () => {
    const text = sourceFiles(path.join(PACKAGE_DIR, "src")).map((f) => fs.readFileSync(f, "utf8")).join("\n");
    expect(text).not.toMatch(/mcp-context-forge|mcpgateway|mcp-stack\.dev|JWT_SECRET_KEY/);
    expect(BUILTIN_RULES.some((r) => r.id.startsWith("gateway-"))).toBe(false);
  });

  it("registers a plugin's rules, overrides, profiles and exemption prefix", () => {
    const noWeb: CheckRule = {
      id: "no-web",
      title: "no pod named web",
      category: "naming",
      severity: "error",
      rationale: "r",
      remediation: "rename",
      kinds: ["Pod"],
      check: (o) => (o.metadata?.name === "web" ? [{ message: "named web", path: "/metadata/name" }] : []),
    };
    const plugin: PolicyPlugin = {
      name: "acme",
      rules: [noWeb],
      exemptionPrefix: "acme.example/skip-",
      overrides: { "image-tag": { remediation: "Use the acme registry's release tags." } },
      profiles: { lab: { name: "lab", description: "lab clusters", severities: { "image-tag": "off" } } },
    };
    const engine = createEngine({ plugins: [plugin] });
    expect(engine.rules.find((r) => r.id === "image-tag")?.remediation).toBe("Use the acme registry's release tags.");
    const objects = parseManifests(POD, "pod.yaml");
    const ids = (profile: string) => engine.evaluate(objects, { profile }).findings.map((f) => f.ruleId);
    expect(ids("production")).toEqual(expect.arrayContaining(["no-web", "image-tag"]));
    expect(ids("lab")).toContain("no-web");
    expect(ids("lab")).not.toContain("image-tag");
    const exempted = parseManifests(POD.replace("  namespace: shop\n", '  namespace: shop\n  annotations:\n    acme.example/skip-no-web: "legacy name"\n'), "pod.yaml");
    expect(engine.evaluate(exempted).findings.find((f) => f.ruleId === "no-web")?.exempted).toEqual({ reason: "legacy name", source: "annotation" });
    expect(() => createEngine({ plugins: [plugin, plugin] })).toThrow(/already registered/);
  });

  it("its CLI checks any manifests in-process: exit 1 on an error, 0 on --help, 2 on bad usage", async () => {
    const r = await runCli(["--output", "json", "-"], POD);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain("image-tag");
    expect((await runCli(["--help"])).stdout).toMatch(/^Usage: kube-policy/);
    for (const args of [["--output", "xml", "-"], ["--profile", "nope", "-"], [], ["--bogus"]]) {
      const bad = await runCli(args, POD);
      expect(bad.code, args.join(" ")).toBe(2);
      expect(bad.stderr).toMatch(/^error: /);
    }
  });

  it("loads a plugin module with --plugin", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-plugin-"));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "plugin.mjs");
    fs.writeFileSync(file, `export default { name: "p", profiles: { lab: { name: "lab", description: "", severities: { "image-tag": "off" } } } };\n`);
    const r = await runCli(["--plugin", file, "--profile", "lab", "--output", "json", "-"], POD);
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain("image-tag");
    const notPlugin = path.join(dir, "empty.mjs");
    fs.writeFileSync(notPlugin, "export const x = 1;\n");
    expect((await runCli(["--plugin", notPlugin, "-"], POD)).code).toBe(2);
  });
});
