// A stand-in kubectl for tests: an executable Node script that appends its argv (one JSON line) to
// $FAKE_KUBECTL_LOG and answers from the scenario file $FAKE_KUBECTL_SCENARIO: a list of rules
// { match: regex over the arguments without --context/--request-timeout, stdout|json, stderr, code }.
// The first matching rule answers; `kubectl get X NAME` with no rule is NotFound, `auth can-i` is yes,
// `delete` prints `<resource> "<name>" deleted` per name. `kubectl kustomize` goes to $REAL_KUBECTL.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface Rule {
  match: string;
  stdout?: string;
  json?: unknown;
  stderr?: string;
  code?: number;
}

const SCRIPT = String.raw`#!/usr/bin/env node
const fs = require("node:fs");
const { spawnSync } = require("node:child_process");
const argv = process.argv.slice(2);
if (process.env.FAKE_KUBECTL_LOG) fs.appendFileSync(process.env.FAKE_KUBECTL_LOG, JSON.stringify(argv) + "\n");
const rest = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--context") { i++; continue; }
  if (argv[i].startsWith("--context=") || argv[i].startsWith("--request-timeout")) continue;
  rest.push(argv[i]);
}
if (rest[0] === "kustomize") {
  const real = process.env.REAL_KUBECTL;
  if (!real) { process.stderr.write("fake kubectl: REAL_KUBECTL not set\n"); process.exit(1); }
  const r = spawnSync(real, rest, { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
const key = rest.join(" ");
const rules = process.env.FAKE_KUBECTL_SCENARIO ? JSON.parse(fs.readFileSync(process.env.FAKE_KUBECTL_SCENARIO, "utf8")) : [];
const rule = rules.find((r) => new RegExp(r.match).test(key));
if (rule) {
  if (rule.json !== undefined) process.stdout.write(JSON.stringify(rule.json));
  if (rule.stdout) process.stdout.write(rule.stdout);
  if (rule.stderr) process.stderr.write(rule.stderr);
  process.exit(rule.code ?? 0);
}
if (rest[0] === "auth" && rest[1] === "can-i") { process.stdout.write("yes\n"); process.exit(0); }
if (rest[0] === "get") {
  process.stderr.write('Error from server (NotFound): ' + rest[1] + ' "' + (rest[2] || "") + '" not found\n');
  process.exit(1);
}
if (rest[0] === "delete") {
  const names = [];
  for (let i = 2; i < rest.length; i++) {
    if (rest[i] === "-n" || rest[i] === "-l") { i++; continue; }
    if (rest[i].startsWith("-")) continue;
    names.push(rest[i]);
  }
  for (const n of names) process.stdout.write(rest[1] + ' "' + n + '" deleted\n');
  process.exit(0);
}
process.exit(0);
`;

export interface FakeKubectl {
  dir: string;
  bin: string;
  log: string;
  scenarioFile: string;
  /** Environment for the child: the scenario and the log. */
  env: Record<string, string>;
  setScenario(rules: Rule[]): void;
  /** Every argv the stand-in received, in order. */
  calls(): string[][];
  /** The calls without the global flags, joined with spaces: easy to match. */
  commands(): string[];
  reset(): void;
}

export function makeFakeKubectl(): FakeKubectl {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
  const bin = path.join(dir, "kubectl");
  fs.writeFileSync(bin, SCRIPT, { mode: 0o755 });
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
    commands: () =>
      calls().map((argv) => {
        const rest: string[] = [];
        for (let i = 0; i < argv.length; i++) {
          if (argv[i] === "--context") i++;
          else if (!argv[i]!.startsWith("--request-timeout")) rest.push(argv[i]!);
        }
        return rest.join(" ");
      }),
    reset: () => fs.rmSync(log, { force: true }),
  };
}

/** The real kubectl on PATH (for `kubectl kustomize` during end-to-end runs). */
export function realKubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "kubectl");
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* next */
    }
  }
  return undefined;
}
