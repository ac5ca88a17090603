// `npm run notes -- <env>`: NOTES.txt from settings.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./helpers/repo.ts";
import { main as notesMain } from "../scripts/notes.ts";
import { cutoverNotes, cutoverRelease, notes } from "../scripts/notes/text.ts";
import { loadSettingsFile } from "../scripts/settings/load.ts";
import { migrationJobName } from "../scripts/stack/migration.ts";
import { smokeTestJobName } from "../scripts/stack/post-sync.ts";
import { runInProcess } from "./helpers/in-process.ts";

const settingsOf = (env: string) => loadSettingsFile(path.join(REPO_ROOT, "overlays", env, "settings.yaml"));

describe("notes", () => {
  it("eks: URLs, port-forward, credentials from the cluster and the store, migration, Argo CD", () => {
    const text = notes("eks", settingsOf("eks"));
    expect(text).toContain("URL:        https://mcp.example.com");
    expect(text).toContain("kubectl -n mcp port-forward svc/mcp-gateway 4444:80");
    expect(text).toContain("kubectl -n mcp get secret mcp-gateway-credentials -o jsonpath='{.data.PLATFORM_ADMIN_PASSWORD}' | base64 -d");
    expect(text).toContain("key mcp-stack/eks/mcp-gateway-credentials, property PLATFORM_ADMIN_PASSWORD");
    expect(text).toContain(`kubectl -n mcp logs -f job/${migrationJobName(settingsOf("eks"))}`);
    expect(text).toContain(`kubectl -n mcp logs -f job/${smokeTestJobName(settingsOf("eks"))}`);
    expect(migrationJobName(settingsOf("eks"))).toMatch(/^mcp-migration-v1-0-8-[0-9a-f]{8}$/);
    expect(text).toContain("argocd app get mcp-stack-eks");
    expect(text).not.toMatch(/PGADMIN/);
  });

  it("Gateway API: the route URLs (fast-time through its rewritten prefix), the Gateway and how to read its address", () => {
    const minikube = notes("minikube", settingsOf("minikube"));
    expect(minikube).toContain("routing Gateway API, Envoy Gateway (gateway.local)");
    expect(minikube).toContain("URL:        http://gateway.local\n");
    expect(minikube).toContain("fast-time:  http://gateway.local/fast-time/health (MCP at http://gateway.local/fast-time/http)");
    expect(minikube).toContain("Gateway:    mcp/mcp-stack (class eg, rendered here); its address: kubectl -n mcp get gateway.gateway.networking.k8s.io mcp-stack");
    const manualPv = notes("manual-pv", settingsOf("manual-pv"));
    expect(manualPv).toContain("URL:        https://gateway.example.internal\n");
    expect(manualPv).toContain("Gateway:    gateway-system/platform-gateway listener https (the platform's)");
    expect(manualPv).toContain("get pods,svc,httproutes.gateway.networking.k8s.io,pvc,jobs");
    // behind the ALB Ingress the fast-time prefix cannot be rewritten, so it is not routed
    expect(notes("eks", settingsOf("eks"))).not.toContain("fast-time:  https://");
  });

  it("eks: explains that the ALB serves an ACM certificate and ignores the TLS Secret", () => {
    const eks = settingsOf("eks");
    expect(notes("eks", eks)).toContain(`certificate: ${eks.ingress.certificateArn} (ingress.certificateArn)`);
    const { certificateArn: _arn, ...unpinned } = eks.ingress;
    const s = { ...eks, ingress: unpinned };
    const text = notes("eks", s);
    expect(text).toContain("the ALB terminates TLS with an AWS Certificate Manager (ACM) certificate; it ignores Secret mcp-gateway-tls");
    expect(text).toContain("the controller discovers an issued ACM certificate covering mcp.example.com");
    expect(text).toContain("aws acm request-certificate --domain-name mcp.example.com --validation-method DNS");
    expect(text).not.toContain("certificate in Secret");
    const pinned = notes("eks", { ...s, ingress: { ...s.ingress, annotations: { "alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:eu-west-1:1:certificate/x" } } });
    expect(pinned).toContain("certificate: arn:aws:acm:eu-west-1:1:certificate/x");
    // a Gateway (the platform's, on manual-pv) serves the Secret.
    expect(notes("manual-pv", settingsOf("manual-pv"))).toMatch(/TLS: +certificate in Secret mcp\/mcp-gateway-tls/);
  });

  it("dev: no Ingress or Argo CD, local credentials file, admin UIs, the APP_DOMAIN port", () => {
    const text = notes("dev", settingsOf("dev"));
    expect(text).not.toContain("URL:");
    expect(text).toContain("kubectl apply -k overlays/dev");
    expect(text).toContain("port-forward svc/mcp-gateway 8080:80   then http://localhost:8080/admin");
    expect(text).toContain("port-forward svc/pgadmin 5050:80");
    expect(text).toContain("port-forward svc/redis-commander 8081:8081");
    expect(text).toContain("grep PLATFORM_ADMIN_PASSWORD overlays/dev/credentials/mcp-gateway-credentials.env");
    expect(text).not.toContain("argocd app");
  });

  it("CLI: prints the notes, exit 2 for an unknown environment", async () => {
    const ok = await runInProcess(notesMain, ["minikube"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("URL:        http://gateway.local");
    const bad = await runInProcess(notesMain, ["prod"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("error: no such environment: prod (expected one of dev, eks, manual-pv, minikube)\n");
  });

  it("--migrate-from-helm without RELEASE (as npm run import's next step says) takes settings' migrateFromHelm.release", async () => {
    const imported = { ...settingsOf("eks"), migrateFromHelm: { release: "old-stack", fullname: "old-stack-mcp", claimsKept: false } };
    expect(cutoverRelease("", imported, "eks")).toBe("old-stack");
    expect(cutoverRelease("other", imported, "eks")).toBe("other");
    expect(cutoverNotes("eks", imported, cutoverRelease("", imported, "eks"))).toContain("old-stack-mcp-");
    expect(() => cutoverRelease("", settingsOf("eks"), "eks")).toThrow(/overlays\/eks\/settings\.yaml has no migrateFromHelm\.release/);
    // as the last argument and before another option: no value taken from what follows
    const last = await runInProcess(notesMain, ["eks", "--migrate-from-helm"]);
    expect([last.code, last.stderr]).toEqual([2, expect.stringContaining("which release?")]);
    const withRelease = await runInProcess(notesMain, ["eks", "--migrate-from-helm", "mcp-stack"]);
    expect(withRelease.code).toBe(0);
    expect(withRelease.stdout).toMatch(/^Cutover from Helm release mcp-stack /);
  });
});
