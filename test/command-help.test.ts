// Help texts that tell the truth: `npm run all -- --help` prints help and generates nothing; preflight names the
// environments that exist (overlays/<env>/settings.yaml), not a fixed list.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listOverlays } from "../scripts/lib/overlays.ts";
import { main as preflightMain, usage } from "../scripts/preflight.ts";
import { HelpRequested, parseCli } from "../scripts/lib/cli.ts";
import { main as checkMain } from "../scripts/check.ts";
import { main as generateMain } from "../scripts/generate.ts";
import { main as notesMain } from "../scripts/notes.ts";
import { main as policyMain } from "../scripts/policy.ts";
import { runInProcess } from "./helpers/in-process.ts";
import { copyRepo, runCli } from "./helpers/repo.ts";

const copy = copyRepo();
afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

describe("npm run all", () => {
  it("is scripts/all.ts (generate, then check with the options given)", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(copy, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.all).toBe("NODE_COMPILE_CACHE=.cache/node-compile node scripts/all.ts");
  });

  it("-- --help prints help and generates nothing", () => {
    const file = path.join(copy, "base/service-mcp-gateway.yaml");
    fs.rmSync(file);
    const run = runCli("scripts/all.ts", ["--help"], { cwd: copy });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run all -- \[check options\]/);
    expect(run.stdout).toContain("nothing is generated");
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(path.join(copy, "overlays/dev/credentials"))).toBe(false);
  });
});

describe("preflight --help", () => {
  it("lists the environments of this repository", async () => {
    const run = await runInProcess((argv) => preflightMain(argv), ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("(dev, eks, manual-pv, minikube; without ENV: the base with default settings)");
  });

  it("follows overlays/: a new environment appears, none says how to add one", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-stack-overlays-"));
    try {
      expect(usage([])).toContain("(no environment yet: add overlays/<env>/settings.yaml;");
      fs.mkdirSync(path.join(root, "staging"));
      fs.writeFileSync(path.join(root, "staging", "settings.yaml"), "namespace: staging\n");
      fs.mkdirSync(path.join(root, "notes")); // no settings.yaml: not an environment
      expect(usage(listOverlays(root))).toContain("(staging; without ENV");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("--help in process (the parser never exits the process)", () => {
  it("parseCli throws HelpRequested carrying the usage", () => {
    expect(() => parseCli(["--help"], {}, "Usage: x\n\n")).toThrow(HelpRequested);
    try {
      parseCli(["-h"], {}, "Usage: x\n\n");
    } catch (err) {
      expect((err as HelpRequested).usage).toBe("Usage: x\n");
    }
  });

  it.each([
    ["policy", policyMain, /^Usage: npm run policy -- \[options\] \[PATH\|-\]\.\.\./],
    ["check", checkMain, /^Usage: npm run check/],
    ["generate", generateMain, /^Usage: npm run generate/],
    ["notes", notesMain, /^Usage: npm run notes/],
  ] as const)("main() of %s prints its usage to io.stdout and returns 0", async (_name, main, usageLine) => {
    const before = process.exitCode;
    const run = await runInProcess(main, ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(usageLine);
    expect(run.stdout.endsWith("\n")).toBe(true);
    expect(run.stderr).toBe("");
    expect(process.exitCode).toBe(before);
  });

  it("an unknown flag is still a usage error (exit 2, one line on stderr, the usage after it)", async () => {
    const run = await runInProcess(policyMain, ["--no-such-flag"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^error: Unknown option '--no-such-flag'/);
    expect(run.stderr).toContain("Usage: npm run policy");
  });
});
