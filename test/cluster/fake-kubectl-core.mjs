// The stand-in kubectl's answers, in one place for both of its forms: the in-process fake most tests use
// (fake-kubectl.ts, through Kubectl's `exec` option) and the executable the end-to-end tests put on PATH
// (a bash script asking the test process, which answers through answerAsKubectl below). Plain JavaScript.
//
// A scenario is a list of rules { match: regex over the arguments without --context/--request-timeout,
// stdout|json, stderr, code }. The first matching rule answers; `kubectl get X NAME` with no rule is
// NotFound, `auth can-i` is yes, `delete` prints `<resource> "<name>" deleted` per name, anything else
// succeeds silently. `kubectl kustomize` is not answered: it goes to the real kubectl.
import fs from "node:fs";

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
 * The executable's answer, computed in the test process (the executable is a bash client of fake-kubectl.ts's
 * answering socket): appends the argv (one JSON line) to `log`, answers from the rules in `scenarioFile`.
 */
export function answerAsKubectl(argv, log, scenarioFile) {
  fs.appendFileSync(log, JSON.stringify(argv) + "\n");
  return answer(argv, JSON.parse(fs.readFileSync(scenarioFile, "utf8")));
}
