// Shared by the cluster tests: an in-process stand-in kubectl, targets rendered once per file, and
// runners for each command.
import { PREFLIGHT_CHECKS } from "../../scripts/cluster/checks-preflight.ts";
import { VERIFY_CHECKS } from "../../scripts/cluster/checks-verify.ts";
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

export async function verify(fake: InProcessKubectl, env: string, rules: Rule[], url?: string, tweak: (t: Target) => Target = (t) => t): Promise<Result[]> {
  const k = kubectlFor(fake, rules);
  await connect(k);
  return runChecks(VERIFY_CHECKS, { k, target: tweak(await target(env)), ...(url ? { url } : {}) });
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
