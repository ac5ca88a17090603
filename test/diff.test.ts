// `npm run diff`: a throwaway git repository with a real change, secrets masked, hash suffixes normalised.
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { copyRepo, REPO_ROOT } from "./helpers/repo.ts";
import { diffAgainst, diffObjects, formatMarkdown, formatText, main as diffMain } from "../scripts/diff.ts";
import type { Manifest as K8sObj } from "../scripts/lib/manifest.ts";
import { runInProcess } from "./helpers/in-process.ts";

const repo = copyRepo();
for (const env of ["dev", "minikube"]) {
  const creds = path.join(REPO_ROOT, "overlays", env, "credentials");
  if (fs.existsSync(creds)) fs.cpSync(creds, path.join(repo, "overlays", env, "credentials"), { recursive: true });
}
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" });
git("init", "-q", "-b", "main");
git("add", "-A");
git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base");
// A real change: the gateway's log level in the base ConfigMap (every overlay but dev, which overrides it).
const cfg = path.join(repo, "base", "mcp-gateway-config.env");
fs.writeFileSync(cfg, fs.readFileSync(cfg, "utf8").replace("LOG_LEVEL=INFO", "LOG_LEVEL=WARNING"));
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

describe("diff", () => {
  it("shows a ConfigMap change as a change (hash suffix renamed), with a unified YAML diff, per overlay", async () => {
    const { base, diffs } = await diffAgainst(repo, "HEAD");
    expect(base).toBe("HEAD");
    const by = new Map(diffs.map((d) => [d.target, d]));
    expect([...by.keys()]).toEqual(["dev", "eks", "eks/eu-canary", "eks/eu-production", "eks/us-production", "manual-pv", "minikube", "(root)"]);
    expect(by.get("dev")).toMatchObject({ added: [], removed: [], changed: [], errors: [] });
    expect(by.get("(root)")!.changed).toEqual([]);
    for (const env of ["eks", "manual-pv", "minikube"]) {
      const d = by.get(env)!;
      expect(d.added, env).toEqual([]);
      expect(d.removed, env).toEqual([]);
      expect(d.changed.map((c) => `${c.kind}/${c.name}`), env).toEqual(["ConfigMap/mcp-gateway-config"]);
      const change = d.changed[0]!;
      expect(change.renamed![0]).toMatch(/^mcp-gateway-config-[a-z0-9]{10}$/);
      expect(change.renamed![0]).not.toBe(change.renamed![1]);
      expect(change.patch).toContain("-  LOG_LEVEL: INFO\n+  LOG_LEVEL: WARNING");
      expect(change.patch).toMatch(/^--- a\/ConfigMap .*\n\+\+\+ b\/ConfigMap /);
    }
    const text = formatText(base, diffs);
    expect(text).toContain("== eks: 0 added, 0 removed, 1 changed");
    expect(text).toContain("== dev: no changes");
    const md = formatMarkdown(base, diffs);
    expect(md).toContain("| eks | 0 | 0 | 1 |");
    expect(md).toContain("```diff\n--- a/ConfigMap mcp/mcp-gateway-config");
  });

  it("lists added and removed objects", async () => {
    fs.rmSync(path.join(repo, "overlays", "manual-pv", "persistentvolume-mcp-redis-data.yaml"));
    try {
      const { diffs } = await diffAgainst(repo, "HEAD");
      const d = diffs.find((x) => x.target === "manual-pv")!;
      // The file is gone, so the working tree no longer builds: reported, not thrown.
      expect(d.errors.join("\n")).toMatch(/working tree: .*kustomize build failed/);
    } finally {
      git("checkout", "--", "overlays/manual-pv/persistentvolume-mcp-redis-data.yaml");
    }
    const before: K8sObj[] = [{ apiVersion: "v1", kind: "Service", metadata: { name: "a", namespace: "mcp" } }];
    const after: K8sObj[] = [{ apiVersion: "v1", kind: "Service", metadata: { name: "b", namespace: "mcp" } }];
    expect(diffObjects("x", before, after)).toMatchObject({ added: ["Service mcp/b"], removed: ["Service mcp/a"], changed: [] });
  });

  it("never shows a Secret value, only that it changed", () => {
    const secret = (pw: string, user: string): K8sObj => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "postgres-credentials-abcdfg2456", namespace: "mcp" },
      data: { POSTGRES_PASSWORD: Buffer.from(pw).toString("base64"), POSTGRES_USER: Buffer.from(user).toString("base64") },
    });
    const d = diffObjects("dev", [secret("old-password", "mcp")], [secret("new-password", "mcp")]);
    expect(d.changed).toHaveLength(1);
    const patch = d.changed[0]!.patch;
    expect(patch).toContain(`-  POSTGRES_PASSWORD: "***"\n+  POSTGRES_PASSWORD: "*** (changed)"`);
    expect(patch).not.toContain(Buffer.from("old-password").toString("base64"));
    expect(patch).not.toContain(Buffer.from("new-password").toString("base64"));
    expect(patch).not.toContain("POSTGRES_USER: \"*** (changed)\"");
  });

  it("exits 2 on an unknown ref or format", async () => {
    const bad = await runInProcess(diffMain, ["--base", "no-such-ref"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("error: unknown git ref: no-such-ref (expected a branch, tag or commit of this repository)\n");
    expect((await runInProcess(diffMain, ["--format", "html"])).code).toBe(2);
  });
});
