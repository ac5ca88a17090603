// Fallback mode never leaks or lies (issue 12): validators from kubernetes-models only on request,
// a schema location that does not exist is kubeconform's error, no message carries a Secret value,
// and kustomize's block-scalar base64 in a valid Secret passes.
import { describe, expect, it } from "vitest";
import { main, type Io } from "../../packages/validate/src/cli.ts";
import { kubernetesModels } from "../../scripts/validate/fallback.ts";
import { validateDocuments } from "../../scripts/validate/engine.ts";
import { testCacheDir } from "./helpers.ts";

const SECRET_VALUE = "b3pKc2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw==";
const secret = (data: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: mcp}\ntype: Opaque\ndata:\n${data}`;

async function run(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdinIsCharDevice: () => false };
  return { status: await main(argv, io, { cacheDir: testCacheDir }), stdout, stderr };
}

describe("fallback mode", () => {
  it("an explicit schema location that does not exist is an error (exit 1, could not find schema), never a silent fallback", async () => {
    const file = `${testCacheDir}-missing-location.yaml`;
    (await import("node:fs")).writeFileSync(file, secret(`  AUTH: ${SECRET_VALUE}\n`));
    const r = await run(["-schema-location", "/nonexistent/schemas", "-summary", file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("Secret creds failed validation: could not find schema for Secret");
    expect(r.stdout).toContain("Errors: 1");
  });

  it("kustomize's block-scalar base64 (wrapped lines) in a valid Secret passes", async () => {
    // one base64 string wrapped at 76 characters, as kustomize writes long values
    const encoded = Buffer.from("-----BEGIN CERTIFICATE-----\n" + "MIIBkTCB+wIJAMFake".repeat(8) + "\n-----END CERTIFICATE-----\n").toString("base64");
    const wrapped = `  tls.crt: |\n${encoded.match(/.{1,76}/g)!.map((l) => `    ${l}\n`).join("")}`;
    const report = await validateDocuments([{ filename: "s.yaml", content: secret(wrapped) }], { fallback: kubernetesModels, workers: 1 });
    expect(report.resources.map((r) => r.status)).toEqual(["statusValid"]);
  });

  it("no message ever contains a Secret value", async () => {
    const report = await validateDocuments(
      [{ filename: "s.yaml", content: secret(`  AUTH_ENCRYPTION_SECRET: "${SECRET_VALUE}!not base64"\n  COUNT: 5\n`) + `stringData:\n  PASSWORD: 12\n` }],
      { fallback: kubernetesModels, workers: 1 },
    );
    const [r] = report.resources;
    expect(r!.status).toBe("statusInvalid");
    expect(r!.msg).not.toContain(SECRET_VALUE.slice(0, 12));
    expect(JSON.stringify(r!.validationErrors)).not.toContain(SECRET_VALUE.slice(0, 12));
    expect(r!.msg).toContain("kubernetes-models:v1/Secret");
  });

  it("is asked for with -fallback on the command line, and says unknown fields are not checked", async () => {
    const { runValidate } = await import("./helpers.ts");
    const r = await runValidate(["-fallback", "-summary", "-"], { input: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\nunknownField: 1\n" });
    expect(r.stderr).toContain("unknown fields are NOT checked");
    expect(r.stdout).toBe("Summary: 1 resource found parsing stdin - Valid: 1, Invalid: 0, Errors: 0, Skipped: 0\n");
    expect(r.status).toBe(0);
  });
});
