// Stand-in kubectls for tests, answering from a scenario (see fake-kubectl-core.mjs for the rules) and
// recording every argv they receive, global flags included:
//  - makeFakeKubectl(): in-process, plugged into Kubectl's `exec` option; no process per call. Most tests.
//  - makeFakeKubectlBin(): an executable on disk for the end-to-end tests, which put its directory first
//    on PATH. A bash script (no Node start-up per call): it sends its argv to this process over a local socket
//    ($FAKE_KUBECTL_PORT) and prints the answer, exit code, stdout and stderr, or runs $REAL_KUBECTL for kustomize.
//    Each call is logged to `log` and answered from the scenario in `scenarioFile`.
// Both answer through the same function (fake-kubectl-core.mjs), so they cannot drift apart.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { execKubectl, type KubectlExec } from "../../scripts/cluster/kubectl.ts";
import { answer, answerAsKubectl, withoutGlobalFlags, type Rule } from "./fake-kubectl-core.mjs";

export type { Rule };

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
  /** Environment for the child: the answering socket's port. */
  env: Record<string, string>;
  /** Stops answering (the executable then fails). */
  close(): Promise<void>;
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

// The executable: bash builtins only (no process per call besides bash itself). The request is NUL-separated: the
// argument count, then the arguments. The answer: a line "CODE OUT ERR" (byte lengths), then stdout's and stderr's
// bytes; or a line "kustomize N", then N NUL-terminated arguments for the real kubectl.
const CLIENT = `#!/usr/bin/env bash
export LC_ALL=C
exec 3<>"/dev/tcp/127.0.0.1/$FAKE_KUBECTL_PORT" || { echo "fake kubectl: no answering socket" >&2; exit 125; }
printf '%s\\0' "$#" "$@" >&3
read -r code outlen errlen <&3
if [ "$code" = kustomize ]; then
  args=()
  for ((i = 0; i < outlen; i++)); do IFS= read -r -d '' a <&3; args+=("$a"); done
  exec 3<&-
  [ -n "$REAL_KUBECTL" ] || { echo "fake kubectl: REAL_KUBECTL not set" >&2; exit 1; }
  exec "$REAL_KUBECTL" "\${args[@]}"
fi
out= err=
if [ "$outlen" -gt 0 ]; then IFS= read -r -d '' -N "$outlen" out <&3; fi
if [ "$errlen" -gt 0 ]; then IFS= read -r -d '' -N "$errlen" err <&3; fi
printf '%s' "$out"
printf '%s' "$err" >&2
exit "$code"
`;

export async function makeFakeKubectlBin(): Promise<FakeKubectlBin> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
  const bin = path.join(dir, "kubectl");
  fs.writeFileSync(bin, CLIENT, { mode: 0o755 });
  const log = path.join(dir, "calls.jsonl");
  const scenarioFile = path.join(dir, "scenario.json");
  fs.writeFileSync(scenarioFile, "[]");
  const server = net.createServer((socket) => {
    let request = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      request = Buffer.concat([request, chunk]);
      const fields = request.toString("utf8").split("\0");
      const count = Number(fields[0]);
      if (fields.length < 2 || fields.length < count + 2) return; // the count, the arguments, and what follows the last NUL
      const a = answerAsKubectl(fields.slice(1, count + 1), log, scenarioFile);
      if (a.kustomize) socket.end(`kustomize ${a.kustomize.length}\n${a.kustomize.map((x) => `${x}\0`).join("")}`);
      else socket.end(Buffer.concat([Buffer.from(`${a.code} ${Buffer.byteLength(a.stdout)} ${Buffer.byteLength(a.stderr)}\n`), Buffer.from(a.stdout), Buffer.from(a.stderr)]));
    });
    socket.on("error", () => undefined); // a client that went away
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
  });
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
    env: { FAKE_KUBECTL_PORT: String(port) },
    setScenario: (rules) => fs.writeFileSync(scenarioFile, JSON.stringify(rules)),
    calls,
    commands: () => commandsOf(calls()),
    reset: () => fs.rmSync(log, { force: true }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
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
