// The stand-in kubectl's answers, in one place for both of its forms: the in-process fake most tests use
// (fake-kubectl.ts, through Kubectl's `exec` option) and the executable the end-to-end tests put on PATH
// (a two-line wrapper calling runAsKubectl below). Plain JavaScript so that Node runs it without tsx.
//
// A scenario is a list of rules { match: regex over the arguments without --context/--request-timeout,
// stdout|json, stderr, code }. The first matching rule answers; `kubectl get X NAME` with no rule is
// NotFound, `auth can-i` is yes, `delete` prints `<resource> "<name>" deleted` per name, anything else
// succeeds silently. `kubectl kustomize` is not answered: it goes to the real kubectl.
import fs from "node:fs";
import { spawnSync } from "node:child_process";

/** The arguments without the global flags Kubectl adds (--context NAME, --context=NAME, --request-timeout=...). */
export function withoutGlobalFlags(argv) {
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--context") {
      i++;
      continue;
    }
    if (argv[i].startsWith("--context=") || argv[i].startsWith("--request-timeout")) continue;
    rest.push(argv[i]);
  }
  return rest;
}

/** The stand-in's answer to one call: { code, stdout, stderr }, or { kustomize: args } to hand to the real kubectl. */
export function answer(argv, rules) {
  const rest = withoutGlobalFlags(argv);
  if (rest[0] === "kustomize") return { kustomize: rest };
  const key = rest.join(" ");
  const rule = rules.find((r) => new RegExp(r.match).test(key));
  if (rule) {
    let stdout = "";
    if (rule.json !== undefined) stdout += JSON.stringify(rule.json);
    if (rule.stdout) stdout += rule.stdout;
    return { code: rule.code ?? 0, stdout, stderr: rule.stderr ?? "" };
  }
  if (rest[0] === "auth" && rest[1] === "can-i") return { code: 0, stdout: "yes\n", stderr: "" };
  if (rest[0] === "get") {
    return { code: 1, stdout: "", stderr: `Error from server (NotFound): ${rest[1]} "${rest[2] || ""}" not found\n` };
  }
  if (rest[0] === "delete") {
    const names = [];
    for (let i = 2; i < rest.length; i++) {
      if (rest[i] === "-n" || rest[i] === "-l") {
        i++;
        continue;
      }
      if (rest[i].startsWith("-")) continue;
      names.push(rest[i]);
    }
    return { code: 0, stdout: names.map((n) => `${rest[1]} "${n}" deleted\n`).join(""), stderr: "" };
  }
  return { code: 0, stdout: "", stderr: "" };
}

/**
 * The executable: appends its argv (one JSON line) to $FAKE_KUBECTL_LOG, answers from the scenario file
 * $FAKE_KUBECTL_SCENARIO, hands `kubectl kustomize` to $REAL_KUBECTL.
 */
export function runAsKubectl(argv = process.argv.slice(2), env = process.env) {
  if (env.FAKE_KUBECTL_LOG) fs.appendFileSync(env.FAKE_KUBECTL_LOG, JSON.stringify(argv) + "\n");
  const rules = env.FAKE_KUBECTL_SCENARIO ? JSON.parse(fs.readFileSync(env.FAKE_KUBECTL_SCENARIO, "utf8")) : [];
  const a = answer(argv, rules);
  if (a.kustomize) {
    if (!env.REAL_KUBECTL) {
      process.stderr.write("fake kubectl: REAL_KUBECTL not set\n");
      process.exit(1);
    }
    const r = spawnSync(env.REAL_KUBECTL, a.kustomize, { stdio: "inherit" });
    process.exit(r.status ?? 1);
  }
  if (a.stdout) process.stdout.write(a.stdout);
  if (a.stderr) process.stderr.write(a.stderr);
  process.exitCode = a.code;
}
