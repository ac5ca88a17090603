// Environments do not share identities by accident: a staging copied from eks with only its namespace changed is
// refused, naming the key and both files; `shares` in both environments allows it. Folder names the API server
// refuses as Application names are refused. In-process: loadEnvironments on a temporary overlays/ tree.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadEnvironments } from "../scripts/lib/overlays.ts";
import { SettingsError } from "../scripts/settings/load.ts";
import { parse, stringify } from "yaml";
import { REPO_ROOT } from "./helpers/repo.ts";

let root: string;
const eks = fs.readFileSync(path.join(REPO_ROOT, "overlays/eks/settings.yaml"), "utf8");
const write = (env: string, text: string) => {
  fs.mkdirSync(path.join(root, env), { recursive: true });
  fs.writeFileSync(path.join(root, env, "settings.yaml"), text);
};
function problems(): SettingsError {
  try {
    loadEnvironments(root);
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    return err as SettingsError;
  }
  throw new Error("expected a SettingsError");
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-envs-"));
  write("eks", eks);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("identities shared between environments", () => {
  it("a staging copied from eks (only the namespace changed) is refused for each shared identity", () => {
    write("staging", eks.replace(/^namespace: .*$/m, "namespace: mcp-staging"));
    const e = problems();
    expect(e.file).toMatch(/staging\/settings\.yaml$/);
    const byPath = new Map(e.problems.map((p) => [p.path, p]));
    expect([...byPath.keys()]).toEqual(
      expect.arrayContaining(["ingress.host", "credentials.externalSecrets.remoteKeyPrefix", "backup.s3.prefix", "gateway.serviceAccountAnnotations.eks.amazonaws.com/role-arn", "backup.serviceAccountAnnotations.eks.amazonaws.com/role-arn"]),
    );
    expect(byPath.get("ingress.host")!.message).toMatch(/^host mcp\.example\.com is also environment eks's \(overlays\/eks\/settings\.yaml\): both would serve/);
    expect(byPath.get("backup.s3.prefix")!.message).toMatch(/backup location s3:\/\/[a-z0-9.-]+\/postgres is also environment eks's/);
    expect(byPath.get("gateway.serviceAccountAnnotations.eks.amazonaws.com/role-arn")!.message).toMatch(/IAM role arn:aws:iam::\d+:role\/\S+ is also environment eks's \(overlays\/eks\/settings\.yaml\): both would act with the same cloud permissions/);
    expect(byPath.get("ingress.host")!.line).toBeGreaterThan(1);
    expect(e.message).toMatch(/expected a value of this environment's own, or shares: \[host\] in both environments when sharing is intended/);
  });

  it("own values for each identity pass; sharing one on purpose needs `shares` in both", () => {
    // staging: eks without its fleet, with an identity of its own for each kind.
    const s = parse(eks);
    delete s.clusters;
    delete s.argocd?.rollout;
    s.namespace = "mcp-staging";
    s.argocd = { ...s.argocd, destination: { name: "staging" } };
    s.ingress.host = "staging.example.com";
    s.credentials.externalSecrets.remoteKeyPrefix = "mcp-stack/staging";
    s.gateway.serviceAccountAnnotations["eks.amazonaws.com/role-arn"] = "arn:aws:iam::123456789012:role/staging-gateway";
    s.backup.serviceAccountAnnotations["eks.amazonaws.com/role-arn"] = "arn:aws:iam::123456789012:role/staging-backup";
    s.backup.s3.bucket = "mcp-stack-staging-backups";
    const own = stringify(s);
    write("staging", own);
    const envs = loadEnvironments(root);
    expect([...envs.keys()]).toEqual(["eks", "staging"]);

    write("staging", stringify({ ...s, ingress: { ...s.ingress, host: parse(eks).ingress.host }, shares: ["host"] }));
    expect(problems().problems.map((p) => p.path)).toEqual(["ingress.host"]); // eks did not say so
    write("eks", eks + "shares: [host]\n");
    expect([...loadEnvironments(root).keys()]).toEqual(["eks", "staging"]);
  });
});

describe("environment folder names", () => {
  it("a folder whose Application name the API server refuses is refused", () => {
    write("My_Env!", "namespace: mcp-mine\n");
    const e = problems();
    expect(e.problems[0]).toMatchObject({ path: "(folder name)" });
    expect(e.problems[0]!.message).toMatch(/environment folder "My_Env!" gives the Argo CD Application "mcp-stack-My_Env!", which the API server would refuse/);
    expect(e.problems[0]!.expected).toMatch(/overlays\/my-env\//);
  });
});
