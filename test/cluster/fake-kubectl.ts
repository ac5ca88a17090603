// Stand-in kubectls for tests, answering from a scenario (see fake-kubectl-core.mjs for the rules) and
// recording every argv they receive, global flags included:
//  - makeFakeKubectl(): in-process, plugged into Kubectl's `exec` option; no process per call. Most tests.
//  - makeFakeKubectlBin(): an executable on disk for the end-to-end tests, which put its directory first
//    on PATH; it logs to $FAKE_KUBECTL_LOG and reads the scenario from $FAKE_KUBECTL_SCENARIO.
// Both answer through the same function (fake-kubectl-core.mjs), so they cannot drift apart.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execKubectl, type KubectlExec } from "../../scripts/cluster/kubectl.ts";
import { answer, withoutGlobalFlags, type Rule } from "./fake-kubectl-core.mjs";

export type { Rule };

const CORE = new URL("./fake-kubectl-core.mjs", import.meta.url).href;

export interface FakeKubectl {
  setScenario(rules: Rule[]): void;
  /** Every argv the stand-in received, in order. */
  calls(): string[][];
  /** The calls without the global flags, joined with spaces: easy to match. */
  commands(): string[];
  reset(): void;
}

export interface InProcessKubectl extends FakeKubectl {
  /** Kubectl's runner: records the argv and answers from the scenario, as the executable would. */
  exec: KubectlExec;
}

export interface FakeKubectlBin extends FakeKubectl {
  dir: string;
  bin: string;
  log: string;
  scenarioFile: string;
  /** Environment for the child: the scenario and the log. */
  env: Record<string, string>;
}

const commandsOf = (calls: string[][]): string[] => calls.map((argv) => withoutGlobalFlags(argv).join(" "));

export function makeFakeKubectl(): InProcessKubectl {
  let rules: Rule[] = [];
  let log: string[][] = [];
  const exec: KubectlExec = async (_bin, argv, env) => {
    log.push([...argv]);
    const a = answer(argv, rules);
    if (a.kustomize) {
      const real = realKubectl();
      if (!real) return { code: 1, stdout: "", stderr: "fake kubectl: no real kubectl for kustomize\n" };
      return execKubectl(real, a.kustomize, env);
    }
    return { code: a.code, stdout: a.stdout, stderr: a.stderr };
  };
  return {
    exec,
    // A JSON round trip, as the executable reads its scenario from a file.
    setScenario: (r) => void (rules = JSON.parse(JSON.stringify(r)) as Rule[]),
    calls: () => log.map((argv) => [...argv]),
    commands: () => commandsOf(log),
    reset: () => void (log = []),
  };
}

export function makeFakeKubectlBin(): FakeKubectlBin {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
  const bin = path.join(dir, "kubectl");
  fs.writeFileSync(bin, `#!/usr/bin/env node\nimport(${JSON.stringify(CORE)}).then((m) => m.runAsKubectl());\n`, { mode: 0o755 });
  const log = path.join(dir, "calls.jsonl");
  const scenarioFile = path.join(dir, "scenario.json");
  fs.writeFileSync(scenarioFile, "[]");
  const calls = () =>
    fs.existsSync(log)
      ? fs
          .readFileSync(log, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as string[])
      : [];
  return {
    dir,
    bin,
    log,
    scenarioFile,
    env: { FAKE_KUBECTL_LOG: log, FAKE_KUBECTL_SCENARIO: scenarioFile },
    setScenario: (rules) => fs.writeFileSync(scenarioFile, JSON.stringify(rules)),
    calls,
    commands: () => commandsOf(calls()),
    reset: () => fs.rmSync(log, { force: true }),
  };
}

let real: string | null | undefined;
/** The real kubectl on PATH (for `kubectl kustomize` during end-to-end runs). */
export function realKubectl(): string | undefined {
  if (real === undefined) {
    real = null;
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
      const candidate = path.join(dir, "kubectl");
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        real = candidate;
        break;
      } catch {
        /* next */
      }
    }
  }
  return real ?? undefined;
}
