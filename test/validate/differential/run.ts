// Running one case with kubeconform (a binary) or with ours (in-process), reduced to what is compared:
// the exit code and, per result, file, kind, name, status and message (paths normalised).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { main } from "../../../packages/validate/src/cli.ts";
import { wholeBuffer } from "../../../packages/validate/src/reader.ts";
import { buildSchemaFolder, expandArgs, FIXTURES, type Case } from "./corpus.ts";

export interface Outcome {
  exit: number;
  /** "file|kind|name|status", sorted (kubeconform's order depends on its goroutines). */
  results: string[];
  /** "file|kind|name" → message (several, sorted and joined by "\n|| ", where results share a key), for the message agreement figure. */
  messages: Record<string, string>;
  /** First line of stderr (usage errors). */
  stderr: string;
}

/**
 * Where the corpus lives while it runs (messages name schema files; they compare after @S/@W normalisation). One folder
 * per process: test runs of several checkouts at once must not rebuild each other's corpus midway.
 */
export let WORK = path.join(os.tmpdir(), `validate-differential-${process.pid}`);
export let SCHEMAS = path.join(WORK, "schemas");

/** Runs the cases against a corpus folder prepared elsewhere (the test's content-addressed copy); returns the previous one. */
export function useWork(dir: string): string {
  const previous = WORK;
  WORK = dir;
  SCHEMAS = path.join(dir, "schemas");
  return previous;
}

export function prepare(): string[] {
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(WORK, { recursive: true });
  return buildSchemaFolder(SCHEMAS);
}

/** Flags before the first path, so Go's flag parsing sees them; -output json -verbose last, so they win. */
export function withJsonOutput(args: readonly string[]): string[] {
  const valued = new Set(["-schema-location", "-kubernetes-version", "-skip", "-reject", "-output", "-n", "-cache", "-ignore-filename-pattern", "--ignore-filename-pattern"]);
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-") && args[i] !== "-") i += valued.has(args[i]!) ? 2 : 1;
  return [...args.slice(0, i), "-output", "json", "-verbose", ...args.slice(i)];
}

function reduce(exit: number, stdout: string, stderr: string, roots: readonly [string, string][]): Outcome {
  const normal = (s: string) => roots.reduce((acc, [from, to]) => acc.split(from).join(to), s);
  const outcome: Outcome = { exit, results: [], messages: {}, stderr: normal(stderr.split("\n")[0] ?? "").replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, "") };
  let parsed: { resources?: { filename: string; kind: string; name: string; status: string; msg: string }[] } = {};
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return outcome;
  }
  const messages = new Map<string, string[]>();
  for (const r of parsed.resources ?? []) {
    const key = `${normal(r.filename)}|${r.kind}|${r.name}`;
    outcome.results.push(`${key}|${r.status}`);
    if (r.msg) messages.set(key, [...(messages.get(key) ?? []), normal(r.msg)]);
  }
  // documents of one file without kind and name share a key: their messages, sorted (kubeconform's order varies)
  for (const [key, list] of messages) outcome.messages[key] = list.sort().join("\n|| ");
  outcome.results.sort();
  return outcome;
}

const roots = (): [string, string][] => [[SCHEMAS, "@S"], [FIXTURES, "@F"], [WORK, "@W"]];

export function runKubeconform(binary: string, kase: Case, locations: readonly string[]): Outcome {
  const args = withJsonOutput(expandArgs(kase.args, FIXTURES, locations, WORK));
  const input = kase.stdin ? fs.readFileSync(path.join(FIXTURES, "fixtures", kase.stdin)) : undefined;
  const run = spawnSync(binary, args, { input, cwd: WORK, encoding: "utf8", maxBuffer: 1 << 28, stdio: [input ? "pipe" : "ignore", "pipe", "pipe"] });
  return reduce(run.status ?? -1, run.stdout, run.stderr, roots());
}

export async function runOurs(kase: Case, locations: readonly string[], cacheDir: string): Promise<Outcome> {
  const args = withJsonOutput(expandArgs(kase.args, FIXTURES, locations, WORK));
  let stdout = "";
  let stderr = "";
  const input = kase.stdin ? fs.readFileSync(path.join(FIXTURES, "fixtures", kase.stdin)) : Buffer.alloc(0);
  const cwd = process.cwd();
  process.chdir(WORK);
  try {
    const exit = await main(args, {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      // kubeconform run without a pipe sees /dev/null: a character device
      stdinIsCharDevice: () => !kase.stdin,
      stdin: wholeBuffer(input),
    }, { cacheDir });
    return reduce(exit, stdout, stderr.replace(/^note: .*\n/gm, ""), roots());
  } finally {
    process.chdir(cwd);
  }
}
