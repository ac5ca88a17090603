// Shared by the cluster tests: an in-process stand-in kubectl, targets rendered once per file, runners for
// each command, and a stand-in edge (Ingress controller or Gateway data plane) on loopback.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { PREFLIGHT_CHECKS } from "../../scripts/cluster/checks-preflight.ts";
import { VERIFY_CHECKS, type VerifyContext } from "../../scripts/cluster/checks-verify.ts";
import type { ClusterDeps, CommandIo } from "../../scripts/cluster/command.ts";
import { connect, Kubectl } from "../../scripts/cluster/kubectl.ts";
import { runChecks, type Result } from "../../scripts/cluster/report.ts";
import { loadTarget, type Target } from "../../scripts/cluster/target.ts";
import { makeFakeKubectl, type InProcessKubectl, type Rule } from "./fake-kubectl.ts";

export const CONTEXT = "test-ctx";

const targets = new Map<string, Promise<Target>>();
/** Renders an environment once per test file (kustomize through the real tools, not the stand-in). */
export function target(env: string | undefined): Promise<Target> {
  const key = env ?? "(base)";
  if (!targets.has(key)) targets.set(key, loadTarget(env));
  return targets.get(key)!;
}

export function kubectlFor(fake: InProcessKubectl, rules: Rule[], context: string | undefined = CONTEXT): Kubectl {
  fake.setScenario(rules);
  fake.reset();
  return new Kubectl({ exec: fake.exec, ...(context ? { context } : {}) });
}

/** Preflight against the stand-in; `tweak` varies the rendered target (settings and objects) for one test. */
export async function preflight(
  fake: InProcessKubectl,
  env: string | undefined,
  rules: Rule[],
  tweak: (t: Target) => Target = (t) => t,
): Promise<Result[]> {
  const k = kubectlFor(fake, rules);
  const conn = await connect(k);
  return runChecks(PREFLIGHT_CHECKS, { k, target: tweak(await target(env)), ...conn });
}

/** Verify against the stand-in; `extra` sets more of the context (where the edge listens, say). */
export async function verify(
  fake: InProcessKubectl,
  env: string | undefined,
  rules: Rule[],
  url?: string,
  tweak: (t: Target) => Target = (t) => t,
  extra: Partial<VerifyContext> = {},
): Promise<Result[]> {
  const k = kubectlFor(fake, rules);
  await connect(k);
  return runChecks(VERIFY_CHECKS, { k, target: tweak(await target(env)), ...(url ? { url } : {}), ...extra });
}

/** What a command printed when its main() ran in-process. */
export function captureIo(): CommandIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return { stdout: (s) => void (out += s), stderr: (s) => void (err += s), out: () => out, err: () => err };
}

/** Everything a command's main() needs to run in-process: the stand-in on `rules`, the cached targets, captured output. */
export function depsFor(fake: InProcessKubectl, rules: Rule[]) {
  fake.setScenario(rules);
  fake.reset();
  return { exec: fake.exec, loadTarget: target, io: captureIo() } satisfies ClusterDeps;
}

export const byId = (results: Result[], id: string): Result => {
  const r = results.find((x) => x.id === id);
  if (!r) throw new Error(`no result ${id} in ${results.map((x) => x.id).join(", ")}`);
  return r;
};
export const failed = (results: Result[]) => results.filter((r) => r.status === "fail").map((r) => r.id);

export { makeFakeKubectl };

/**
 * Plays the edge in front of the stack within the calling describe: GET /health and /fast-time/health answer
 * {"status":"healthy"} for `hosts` (by Host header), `special` answers a host's /health its own way, anything else
 * is a 404. `port` is where it listens on 127.0.0.1; `seen` lists "host path" per request.
 */
export function standInEdge(hosts: string[], special: Record<string, string> = {}): { port: number; seen: string[] } {
  const edge = { port: 0, seen: [] as string[] };
  let server: http.Server;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const host = req.headers.host ?? "";
      edge.seen.push(`${host} ${req.url}`);
      if (special[host] !== undefined && req.url === "/health") return void res.writeHead(200).end(special[host]);
      const ok = hosts.includes(host) && (req.url === "/health" || req.url === "/fast-time/health");
      res.writeHead(ok ? 200 : 404).end(ok ? '{"status":"healthy"}' : "no route");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    edge.port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  return edge;
}
