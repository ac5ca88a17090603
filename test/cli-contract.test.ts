// The command-line contract, from outside, for every command: --help exits 0 naming every flag the command
// parses; bad usage and bad input exit 2 with one line naming the file or flag and what was expected, never a stack
// trace, never a secret value, never a half-written tree. In-process through each command's exported main(argv, io)
// (cluster commands: main(argv, deps), deployability: cli(argv, {out, err})); two real processes: a subdirectory
// start and a read-only checkout. validate follows kubeconform's exit codes (1 for every error), so its rows say 1.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fileSystemError, type Io } from "../scripts/lib/cli.ts";
import { kustomizeBuild } from "../scripts/lib/kustomize.ts";
import { runPolicy } from "../policy/run.ts";
import { runInProcess } from "./helpers/in-process.ts";
import { copyRepo, REPO_ROOT } from "./helpers/repo.ts";
import { CACHE_DIR } from "../scripts/lib/paths.ts";
import { generate } from "../scripts/generate/run.ts";

type Main = (argv: string[], io: Io) => Promise<number | void> | number | void;
const SECRET = "S3CRET-LEAK-VALUE";
const fx = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-stack-cli-contract-"));
const importTo = path.join(fx, "imported-overlays");
const f = (name: string) => path.join(fx, name);

beforeAll(() => {
  fs.writeFileSync(f("empty.yaml"), "");
  fs.writeFileSync(f("garbage.bin"), Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 97 + 13) % 256)));
  fs.writeFileSync(f("syntax.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {a: [}\n");
  fs.writeFileSync(f("list.yaml"), "- a\n- b\n");
  fs.writeFileSync(f("scalar.yaml"), "just a scalar\n");
  fs.writeFileSync(f("huge.yaml"), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\n  namespace: x\ndata:\n  k: ${"x".repeat(5 * 1024 * 1024)}\n`);
  fs.writeFileSync(f("secret.yaml"), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: leak\nstringData:\n  password: ${SECRET}\n`);
  fs.writeFileSync(f("secret-syntax.yaml"), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: leak\nstringData:\n  password: "${SECRET}\n`);
  fs.writeFileSync(f("secret-dup.yaml"), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: leak\nstringData:\n  password: ${SECRET}\n  password: ${SECRET}2\n`);
  fs.writeFileSync(f("unreadable.yaml"), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: leak\nstringData:\n  password: ${SECRET}\n`);
  fs.chmodSync(f("unreadable.yaml"), 0o000);
  fs.mkdirSync(f("adir"));
  fs.mkdirSync(importTo);
});
afterAll(() => fs.rmSync(fx, { recursive: true, force: true }));

/**
 * Runs fn with f("unreadable.yaml") unreadable. chmod 000 does that for a normal user; root reads through any mode,
 * so there reading it fails with the error Node raises for a mode-000 file (EACCES, with its path).
 */
async function withUnreadable<T>(fn: () => Promise<T>): Promise<T> {
  if (process.getuid?.() !== 0) return fn();
  const real = fs.readFileSync;
  const spy = vi.spyOn(fs, "readFileSync").mockImplementation(((file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (file === f("unreadable.yaml")) throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: "EACCES", errno: -13, syscall: "open", path: file });
    return (real as (...a: unknown[]) => unknown)(file, ...rest);
  }) as typeof fs.readFileSync);
  try {
    return await fn();
  } finally {
    spy.mockRestore();
  }
}

const noCluster = { exec: async () => Promise.reject(new Error("kubectl must not run for a usage error")) };
async function commands(): Promise<Record<string, Main>> {
  const load = async (file: string) => (await import(path.join(REPO_ROOT, file))) as Record<string, unknown>;
  const main = async (file: string) => (await load(file)).main as Main;
  const cluster = async (file: string): Promise<Main> => {
    const m = (await load(file)).main as (argv: string[], deps: object) => Promise<number>;
    return (argv, io) => m(argv, { ...noCluster, io });
  };
  const deployability = (await load("scripts/deployability.ts")).cli as (argv: string[], io: { out: Io["stdout"]; err: Io["stderr"] }) => Promise<number>;
  const importMain = (await load("scripts/import.ts")).main as (argv: string[], io: Io & { overlaysDir: string }) => Promise<number>;
  return {
    generate: await main("scripts/generate.ts"),
    render: await main("scripts/render.ts"),
    validate: await main("scripts/validate.ts"),
    policy: await main("scripts/policy.ts"),
    check: await main("scripts/check.ts"),
    diff: await main("scripts/diff.ts"),
    notes: await main("scripts/notes.ts"),
    bench: await main("scripts/bench.ts"),
    schemas: await main("scripts/schemas.ts"),
    preflight: await cluster("scripts/preflight.ts"),
    verify: await cluster("scripts/verify.ts"),
    teardown: await cluster("scripts/teardown.ts"),
    import: (argv, io) => importMain(argv, { ...io, overlaysDir: importTo }),
    deployability: (argv, io) => deployability(argv, { out: io.stdout, err: io.stderr }),
  };
}

// [command, case, argv, exit code, the first line of stderr]
const CASES: [string, string, () => string[], number, RegExp][] = [
  ["generate", "unknown flag", () => ["--no-such-flag"], 2, /^error: Unknown option '--no-such-flag'/],
  ["generate", "missing flag value", () => ["--root"], 2, /^error: Option '--root <value>' argument missing/],
  ["generate", "--root does not exist", () => ["--root", "/nonexistent/dir"], 2, /^error: --root \/nonexistent\/dir: no such file or directory \(expected an existing directory\)$/],
  ["generate", "--root is a file", () => ["--root", f("secret.yaml")], 2, /^error: --root .*secret\.yaml: not a directory \(expected an existing directory\)$/],
  ["generate", "conflicting flags", () => ["--check", "--rotate-credentials", "mcp-gateway-credentials"], 2, /^error: --rotate-credentials writes credentials: it cannot be combined with --check$/],
  ["generate", "unknown credentials name", () => ["--rotate-credentials", "nosuch"], 2, /^error: --rotate-credentials nosuch: no such local credentials file \(expected one of mcp-gateway-credentials/],
  ["render", "unknown flag", () => ["--no-such-flag"], 2, /^error: Unknown option/],
  ["render", "missing flag value", () => ["--out"], 2, /^error: Option '--out <value>' argument missing/],
  ["render", "unknown environment", () => ["nosuchenv"], 2, /^error: no such environment: nosuchenv \(expected one of dev, /],
  ["render", "--out is a file", () => ["--out", f("secret.yaml"), "dev"], 2, /^error: --out .*secret\.yaml: not a directory \(expected a directory/],
  ["validate", "unknown flag (as kubeconform)", () => ["--no-such-flag"], 1, /^flag provided but not defined: -no-such-flag/],
  ["validate", "missing flag value (as kubeconform)", () => ["-output"], 1, /^flag needs an argument: -output/],
  ["validate", "unknown --output (as kubeconform)", () => ["-output", "nosuch", f("secret.yaml")], 1, /'outputFormat' must be 'json', 'junit', 'pretty', 'tap' or 'text'/],
  ["policy", "unknown flag", () => ["--no-such-flag"], 2, /^error: Unknown option/],
  ["policy", "missing flag value", () => ["--output"], 2, /^error: Option '-o, --output <value>' argument missing/],
  ["policy", "unknown --output", () => ["--output", "nosuch", f("secret.yaml")], 2, /^error: unknown --output "nosuch" \(expected text, json, sarif\)$/],
  ["policy", "unknown environment", () => ["--overlay", "nosuchenv"], 2, /^error: --overlay nosuchenv: no such environment \(expected one of dev, /],
  ["policy", "path does not exist", () => ["/nonexistent.yaml"], 2, /^error: \/nonexistent\.yaml: cannot read: no such file or directory \(expected a file, a folder of manifests, or - for stdin\)$/],
  ["policy", "directory without manifests", () => [f("adir")], 2, /^error: .*adir: no Kubernetes objects to check \(expected rendered manifests/],
  ["policy", "unreadable file", () => [f("unreadable.yaml")], 2, /^error: .*unreadable\.yaml: cannot read: permission denied$/],
  ["policy", "empty file", () => [f("empty.yaml")], 2, /^error: .*empty\.yaml: no Kubernetes objects to check/],
  ["policy", "binary garbage", () => [f("garbage.bin")], 2, /^error: .*garbage\.bin:1: invalid YAML: /],
  ["policy", "YAML syntax error", () => [f("syntax.yaml")], 2, /^error: .*syntax\.yaml:5: invalid YAML: /],
  ["policy", "a list document", () => [f("list.yaml")], 2, /^error: .*list\.yaml:1: not a Kubernetes object \(expected a mapping with apiVersion and kind\)$/],
  ["policy", "a scalar document", () => [f("scalar.yaml")], 2, /^error: .*scalar\.yaml:1: not a Kubernetes object/],
  ["policy", "a Secret with a YAML error", () => [f("secret-syntax.yaml")], 2, /^error: .*secret-syntax\.yaml:\d+: invalid YAML: /],
  ["policy", "a Secret with a duplicate key", () => [f("secret-dup.yaml")], 2, /^error: .*secret-dup\.yaml:\d+: invalid YAML: /],
  ["policy", "--config does not exist", () => ["--config", "/nonexistent.yaml", f("secret.yaml")], 2, /^error: \/nonexistent\.yaml: cannot read policy configuration: no such file or directory \(expected a readable YAML file\)$/],
  ["policy", "--config is a directory", () => ["--config", f("adir"), f("secret.yaml")], 2, /^error: .*adir: cannot read policy configuration: illegal operation on a directory/],
  ["policy", "--config unreadable", () => ["--config", f("unreadable.yaml"), f("secret.yaml")], 2, /^error: .*unreadable\.yaml: cannot read policy configuration: permission denied/],
  ["policy", "--config a list", () => ["--config", f("list.yaml"), f("secret.yaml")], 2, /^error: .*list\.yaml: policy configuration must be a mapping/],
  ["policy", "--config binary garbage", () => ["--config", f("garbage.bin"), f("secret.yaml")], 2, /^error: .*garbage\.bin: invalid YAML: /],
  ["policy", "--config a Secret with a YAML error", () => ["--config", f("secret-syntax.yaml"), f("secret.yaml")], 2, /^error: .*secret-syntax\.yaml: invalid YAML: /],
  ["policy", "unknown profile", () => ["--profile", "nosuch", f("secret.yaml")], 2, /^error: unknown policy profile "nosuch" \(expected one of dev, production\)$/],
  ["check", "unknown flag", () => ["--no-such-flag"], 2, /^error: Unknown option/],
  ["check", "missing flag value", () => ["--json"], 2, /^error: Option '--json <value>' argument missing/],
  ["check", "--root does not exist", () => ["--root", "/nonexistent/dir"], 2, /^error: --root \/nonexistent\/dir: no such file or directory \(expected an existing directory\)$/],
  ["check", "--json is a directory", () => ["--json", f("adir")], 2, /^error: --json .*adir: is a directory \(expected a file path to write\)$/],
  ["check", "--sarif in a missing folder", () => ["--sarif", "/nonexistent/x.sarif"], 2, /^error: --sarif \/nonexistent\/x\.sarif: folder \/nonexistent: no such file or directory/],
  ["check", "unknown git ref", () => ["--changed", "no-such-ref-xyz"], 2, /^error: --changed no-such-ref-xyz: unknown git ref \(expected a commit, branch or tag/],
  ["check", "stray argument", () => ["dev"], 2, /^error: unexpected argument: dev \(expected options only/],
  ["diff", "unknown flag", () => ["--no-such-flag"], 2, /^error: Unknown option/],
  ["diff", "missing flag value", () => ["--base"], 2, /^error: Option '--base <value>' argument missing/],
  ["diff", "unknown --format", () => ["--format", "nosuch"], 2, /^error: unknown format: nosuch \(expected text or markdown\)$/],
  ["diff", "unknown git ref", () => ["--base", "no-such-ref-xyz"], 2, /^error: unknown git ref: no-such-ref-xyz \(expected a branch, tag or commit/],
  ["notes", "unknown flag", () => ["--no-such-flag"], 2, /^error: Unknown option/],
  ["notes", "no release (settings name none)", () => ["dev", "--migrate-from-helm"], 2, /^error: --migrate-from-helm: which release\? overlays\/dev\/settings\.yaml has no migrateFromHelm\.release \(expected --migrate-from-helm RELEASE/],
  ["notes", "no environment", () => [], 2, /^error: name one environment \(expected one of dev, /],
  ["notes", "unknown environment", () => ["nosuchenv"], 2, /^error: no such environment: nosuchenv \(expected one of dev, /],
  ["notes", "two environments", () => ["dev", "eks"], 2, /^error: name one environment/],
  ["bench", "unknown flag", () => ["--no-such-flag"], 2, /^error: Unknown option/],
  ["bench", "missing flag value", () => ["--resources"], 2, /^error: Option '--resources <value>' argument missing/],
  ["bench", "not a number", () => ["--resources", "banana"], 2, /^error: --resources "banana": not a whole number of at least 1 \(expected e\.g\. --resources 10000\)$/],
  ["bench", "zero repeats", () => ["--repeat", "0"], 2, /^error: --repeat "0": not a whole number of at least 1/],
  ["bench", "unknown --only section", () => ["--only", "policy,nosuch"], 2, /^error: --only "policy,nosuch": unknown nosuch \(expected a comma-separated list of generate, validate, policy, gate, fleet\)$/],
  ["schemas", "unknown flag", () => ["--no-such-flag"], 2, /^error: Unknown option/],
  ["schemas", "missing flag value", () => ["--schema-location"], 2, /^error: Option '--schema-location <value>' argument missing/],
  ["preflight", "unknown flag", () => ["--no-such-flag"], 2, /^error: Unknown option/],
  ["preflight", "missing flag value", () => ["--context"], 2, /^error: Option '--context <value>' argument missing/],
  ["preflight", "unknown environment", () => ["nosuchenv"], 2, /^error: no such environment: nosuchenv \(expected one of dev, /],
  ["preflight", "unknown --output", () => ["--output", "nosuch", "dev"], 2, /^error: --output nosuch: expected text or json/],
  ["preflight", "two environments", () => ["dev", "eks"], 2, /^error: one environment at most, got dev eks/],
  ["verify", "unknown flag", () => ["--no-such-flag"], 2, /^error: Unknown option/],
  ["verify", "missing flag value", () => ["--context"], 2, /^error: Option '--context <value>' argument missing/],
  ["verify", "no environment", () => [], 2, /^error: name one environment/],
  ["verify", "unknown environment", () => ["nosuchenv"], 2, /^error: no such environment: nosuchenv/],
  ["verify", "unknown --output", () => ["--output", "nosuch", "dev"], 2, /^error: --output nosuch: expected text or json/],
  ["verify", "--token-file does not exist", () => ["--token-file", "/nonexistent", "dev"], 2, /^error: \/nonexistent: --token-file: cannot read: no such file or directory \(expected an existing path\)$/],
  ["verify", "--token-file is a directory", () => ["--token-file", f("adir"), "dev"], 2, /^error: .*adir: --token-file: cannot read: is a directory \(expected a file\)$/],
  ["verify", "--token-file unreadable", () => ["--token-file", f("unreadable.yaml"), "dev"], 2, /^error: .*unreadable\.yaml: --token-file: cannot read: permission denied/],
  ["verify", "--token-file empty", () => ["--token-file", f("empty.yaml"), "dev"], 2, /^error: .*empty\.yaml: --token-file: not a JWT/],
  ["verify", "--url not a URL", () => ["--url", "not-a-url", "dev"], 2, /^error: --url not-a-url: expected http/],
  ["verify", "unknown fleet cluster (before any kubectl call)", () => ["--cluster", "nosuch", "dev"], 2, /^error: environment dev has no cluster nosuch/],
  ["teardown", "unknown flag", () => ["--no-such-flag"], 2, /^error: Unknown option/],
  ["teardown", "missing flag value", () => ["--context"], 2, /^error: Option '--context <value>' argument missing/],
  ["teardown", "no environment", () => [], 2, /^error: name one environment/],
  ["teardown", "unknown environment", () => ["nosuchenv"], 2, /^error: no such environment: nosuchenv/],
  ["teardown", "unknown --output", () => ["--output", "nosuch", "dev"], 2, /^error: --output nosuch: expected text or json/],
  ["teardown", "conflicting flags", () => ["--delete-namespace", "dev"], 2, /^error: --delete-namespace deletes the claims in it too: give --delete-data as well/],
  ["import", "unknown flag", () => ["--no-such-flag"], 2, /^error: Unknown option/],
  ["import", "missing flag value", () => ["--from-helm"], 2, /^error: Option '--from-helm <value>' argument missing/],
  ["import", "no flags", () => [], 2, /^error: --from-helm is required \(expected the chart's values file\)$/],
  ["import", "path does not exist", () => ["--from-helm", "/nonexistent.yaml", "--env", "x1"], 2, /^error: \/nonexistent\.yaml: cannot read: no such file or directory \(expected an existing path\)$/],
  ["import", "a directory", () => ["--from-helm", f("adir"), "--env", "x1"], 2, /^error: .*adir: cannot read: is a directory \(expected a file\)$/],
  ["import", "unreadable file", () => ["--from-helm", f("unreadable.yaml"), "--env", "x1"], 2, /^error: .*unreadable\.yaml: cannot read: permission denied/],
  ["import", "empty file", () => ["--from-helm", f("empty.yaml"), "--env", "x1"], 2, /^error: .*empty\.yaml: empty: no values \(expected chart values/],
  ["import", "binary garbage", () => ["--from-helm", f("garbage.bin"), "--env", "x1"], 2, /^error: .*garbage\.bin: /],
  ["import", "YAML syntax error", () => ["--from-helm", f("syntax.yaml"), "--env", "x1"], 2, /^error: .*syntax\.yaml: YAML syntax error: /],
  ["import", "a list document", () => ["--from-helm", f("list.yaml"), "--env", "x1"], 2, /^error: .*list\.yaml: not a mapping \(expected chart values/],
  ["import", "a scalar document", () => ["--from-helm", f("scalar.yaml"), "--env", "x1"], 2, /^error: .*scalar\.yaml: not a mapping/],
  ["import", "a huge file", () => ["--from-helm", f("huge.yaml"), "--env", "x1"], 2, /^error: .*huge\.yaml: larger than 4 MiB \(expected a Helm values file\)$/],
  ["import", "a Secret with a YAML error", () => ["--from-helm", f("secret-syntax.yaml"), "--env", "x1"], 2, /^error: .*secret-syntax\.yaml: YAML syntax error: /],
  ["import", "an environment name that is not a DNS label", () => ["--from-helm", f("list.yaml"), "--env", "Bad_Name"], 2, /^error: --env "Bad_Name" is not a DNS label/],
  ["deployability", "unknown flag", () => ["--no-such-flag"], 2, /^error: Unknown option/],
  ["deployability", "missing flag value", () => ["--output"], 2, /^error: Option '-o, --output <value>' argument missing/],
  ["deployability", "unknown environment", () => ["nosuchenv"], 2, /^error: unknown environment "nosuchenv" \(expected dev, /],
  ["deployability", "unknown --output", () => ["--output", "nosuch", "dev"], 2, /^error: unknown --output "nosuch" \(expected text, json, sarif\)$/],
  ["deployability", "--from does not exist", () => ["--from", "/nonexistent/dir"], 2, /^error: --from \/nonexistent\/dir: not a directory/],
  ["deployability", "--from is a file", () => ["--from", f("secret.yaml")], 2, /^error: --from .*secret\.yaml: not a directory/],
  ["deployability", "--config does not exist", () => ["--config", "/nonexistent.yaml", "dev"], 2, /^error: \/nonexistent\.yaml: cannot read: no such file or directory \(expected an existing path\)$/],
  ["deployability", "--config a list", () => ["--config", f("list.yaml"), "dev"], 2, /^error: .*list\.yaml: must be a mapping \(expected exemptions: /],
  ["deployability", "--config a Secret with a YAML error", () => ["--config", f("secret-syntax.yaml"), "dev"], 2, /^error: .*secret-syntax\.yaml: invalid YAML: /],
];

let run: Record<string, Main>;
beforeAll(async () => {
  run = await commands();
});

describe("bad usage and bad input", () => {
  it.each(CASES)("%s, %s", async (command, _case, argv, code, message) => {
    const r = await withUnreadable(() => runInProcess(run[command]!, argv()));
    const output = r.stdout + r.stderr;
    expect({ code: r.code, first: (code === 2 ? r.stderr : output).split("\n")[0] }).toEqual({ code, first: expect.stringMatching(message) });
    expect(output).not.toMatch(/^\s+at .*(\.ts|\.js|node:)/m); // no stack trace
    expect(output).not.toContain(SECRET);
    expect(output).not.toContain(Buffer.from(SECRET).toString("base64"));
  });

  it("import writes nothing for any of its bad inputs", () => {
    expect(fs.readdirSync(importTo)).toEqual([]);
  });

  it("policy: empty stdin (a failed `kustomize build |`) is exit 2, not a pass", async () => {
    await expect(runPolicy({ paths: ["-"], readStdin: () => "" })).rejects.toThrow(/no Kubernetes objects to check/);
    const r = await runInProcess(() => runPolicy({ paths: ["-"], readStdin: () => "" }).then(() => 0), []);
    expect([r.code, r.stderr]).toEqual([2, "error: <stdin>: no Kubernetes objects to check (expected rendered manifests: a file, a folder of them, or - with kustomize build output on stdin)\n"]);
  });

  it("policy: a huge line is read, and a Secret's finding never shows its value", async () => {
    for (const file of ["huge.yaml", "secret.yaml"]) {
      for (const output of ["text", "json", "sarif"]) {
        const r = await runInProcess(run.policy!, ["--output", output, f(file)]);
        expect(r.code === 0 || r.code === 1).toBe(true);
        expect(r.stdout + r.stderr).not.toContain(SECRET);
      }
    }
  });

  it("validate (kubeconform's contract): the errors of a file are reported per file, exit 1, the Secret's value never", async () => {
    // (validate reads files itself: the unreadable one is left to policy's and import's rows)
    const r = await runInProcess(run.validate!, [f("syntax.yaml"), f("list.yaml"), f("secret-syntax.yaml"), f("secret-dup.yaml"), "/nonexistent.yaml"]);
    expect(r.code).toBe(1);
    for (const file of ["syntax.yaml", "list.yaml", "secret-syntax.yaml", "secret-dup.yaml"]) expect(r.stdout).toContain(f(file));
    expect(r.stdout).toContain("/nonexistent.yaml - failed validation:");
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it("an environment whose overlay folder was never generated: says run generate, not kustomize's log line", async () => {
    const root = path.join(fx, "overlays");
    fs.mkdirSync(path.join(root, "staging"), { recursive: true });
    fs.writeFileSync(path.join(root, "staging", "settings.yaml"), "namespace: staging\n");
    await expect(kustomizeBuild(path.join(root, "staging"))).rejects.toThrow("no kustomization.yaml");
    const r = await runInProcess(() => runPolicy({ overlaysRoot: root }).then(() => 0), []);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*overlays\/staging: no kustomization\.yaml \(expected a generated overlay: run `npm run generate` first\)\n$/);
  });

  it("file-system errors of any command map to the file, the reason and what was expected (exit 2)", async () => {
    const err = Object.assign(new Error("EROFS: read-only file system, open '/repo/base/x.yaml'"), { code: "EROFS", path: "/repo/base/x.yaml" });
    expect(fileSystemError(err)?.format()).toBe("/repo/base/x.yaml: read-only file system (expected a writable checkout)");
    const r = await runInProcess(() => {
      throw err;
    }, []);
    expect([r.code, r.stderr]).toEqual([2, "error: /repo/base/x.yaml: read-only file system (expected a writable checkout)\n"]);
  });
});

describe("--help", () => {
  /** The flags a command parses, read from its parseCli options (and the cluster commands' shared ones). */
  function parsedFlags(file: string): string[] {
    const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
    const call = /parseCli\(\s*argv,\s*(\{[\s\S]*?\}|COMMON_OPTIONS),\s*USAGE/.exec(text)?.[1] ?? "";
    const names = [...call.matchAll(/(?:"([a-z][a-z-]*)"|\b([a-z][a-zA-Z]*)): \{ type:/g)].map((m) => m[1] ?? m[2]!);
    if (call.includes("COMMON_OPTIONS")) {
      const common = fs.readFileSync(path.join(REPO_ROOT, "scripts/cluster/command.ts"), "utf8");
      const block = /COMMON_OPTIONS = (\{[\s\S]*?\}) as const/.exec(common)?.[1] ?? "";
      names.push(...[...block.matchAll(/(?:"([a-z][a-z-]*)"|\b([a-z][a-zA-Z]*)): \{ type:/g)].map((m) => m[1] ?? m[2]!));
    }
    return names;
  }

  const FILES: Record<string, string> = {
    generate: "scripts/generate.ts", render: "scripts/render.ts", policy: "scripts/policy.ts", check: "scripts/check.ts", diff: "scripts/diff.ts",
    notes: "scripts/notes.ts", bench: "scripts/bench.ts", schemas: "scripts/schemas.ts", preflight: "scripts/preflight.ts", verify: "scripts/verify.ts",
    teardown: "scripts/teardown.ts", import: "scripts/import.ts", deployability: "scripts/deployability.ts",
  };

  it.each(Object.entries(FILES))("%s --help exits 0, names every flag it parses and states the exit codes", async (command, file) => {
    const flags = parsedFlags(file);
    expect(flags.length).toBeGreaterThan(0);
    const r = await runInProcess(run[command]!, ["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: npm run ${command} `));
    expect(flags.filter((flag) => !r.stdout.includes(`--${flag}`))).toEqual([]);
    expect(r.stdout).toMatch(/^Exit(?: codes)?: 0 /m);
  });

  it("validate -h exits 0 as kubeconform's does (its --help exits 1 as kubeconform's does) and names the project's flags", async () => {
    const r = await runInProcess(run.validate!, ["-h"]);
    expect(r.code).toBe(0);
    for (const flag of ["-engine", "-fallback", "-overlays", "-semantic", "-strict", "-output", "-schema-location"]) expect(r.stdout).toContain(flag);
  });
});

describe("README, package.json and --help agree", () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const scripts = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const table = readme.slice(readme.indexOf("## Commands"), readme.indexOf("\n## ", readme.indexOf("## Commands") + 1));
  const listed = [...table.matchAll(/^\| `npm (?:run )?([a-z-]+)[^`]*`(?: \/ `([a-z-]+)` \/ `([a-z-]+)`)?/gm)].flatMap((m) => m.slice(1).filter(Boolean) as string[]);

  it("the Commands table lists every command of the contract, each a package.json script", () => {
    expect([...listed].sort()).toEqual(["bench", "check", "deployability", "diff", "generate", "import", "notes", "policy", "preflight", "render", "schemas", "teardown", "test", "validate", "verify"]);
    expect(listed.filter((name) => !(name in scripts))).toEqual([]);
  });

  it("every package.json script is documented in README", () => {
    const undocumented = Object.keys(scripts).filter((name) => !readme.includes(name === "test" ? "npm test" : `npm run ${name}`));
    expect(undocumented).toEqual([]);
  });
});

describe("real processes", () => {
  it("a command started from a subdirectory of the repository finds the repository", () => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts/notes.ts"), "dev"], { cwd: path.join(REPO_ROOT, "scripts"), encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^mcp-stack, environment dev: namespace /);
  });

  // Root writes through any mode: the read-only user is nobody (setpriv), on a copy whose overlays/eks it cannot write.
  // nobody must be able to reach this checkout's Node and node_modules (not so in a clone inside a mode-700
  // mktemp folder, as .ci/run's fresh clone is): else the run would fail for that reason, not the one tested.
  const asNobody =
    process.getuid?.() === 0 &&
    spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "-e", "import('yaml')"], { cwd: REPO_ROOT, stdio: "ignore" }).status === 0;
  it.skipIf(!asNobody)("generate in a checkout it cannot write: exit 2 naming the file, nothing written, no staging file left", async () => {
    // Fixed local credentials and the tests' generate memo (readable, not writable, for nobody): the plan comes
    // from the memo, filled here first if it has to be (in-process, with this user's kustomize cache), instead of a
    // cold generate with every kustomize build as nobody (whose HOME is the copy: an empty kustomize cache). Only
    // overlays/eks is out of date: a generated file there drifted.
    const copy = copyRepo({ credentials: "fixed" });
    try {
      expect((await generate(copy, { check: true })).drift).toEqual({ changed: [], missing: [], stale: [] });
      fs.chmodSync(copy, 0o755);
      spawnSync("chown", ["-R", "65534", copy]);
      spawnSync("chown", ["-h", "root", path.join(copy, "node_modules")]);
      const eks = path.join(copy, "overlays/eks");
      fs.chownSync(eks, 0, 0);
      const drifted = path.join(eks, "kustomization.yaml");
      fs.writeFileSync(drifted, `${fs.readFileSync(drifted, "utf8")}# edited by hand\n`);
      const files = () => new Map(fs.readdirSync(copy, { recursive: true }).map(String).filter((p) => !/^(node_modules|\.cache)\b/.test(p) && fs.statSync(path.join(copy, p)).isFile()).map((p) => [p, fs.statSync(path.join(copy, p)).mtimeMs]));
      const before = files();
      // Without PATH entries under /root (nobody cannot run a kustomize there): kubectl's built-in one.
      const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, path.join(copy, "scripts/generate.ts")], {
        cwd: copy,
        encoding: "utf8",
        env: { ...process.env, PATH: (process.env.PATH ?? "").split(":").filter((p) => !p.startsWith("/root")).join(":"), HOME: copy, MCP_STACK_GENERATE_CACHE_DIR: process.env.MCP_STACK_GENERATE_CACHE_DIR ?? path.join(CACHE_DIR, "generate") },
      });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^error: overlays\/eks\/kustomization\.yaml: cannot write: permission denied; nothing was changed \(expected permission for this user/);
      const after = files();
      expect([...after.keys()].filter((p) => !before.has(p))).toEqual([]);
      expect([...after].filter(([p, t]) => before.get(p) !== t)).toEqual([]);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
