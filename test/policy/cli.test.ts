// The CLI's exit-code contract: 0 clean, 1 an unexempted error, 2 usage or unreadable input.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { firstContainer, goodSet, withDeployment } from "./fixtures.ts";
import { main } from "../../scripts/policy.ts";
import { runInProcess } from "../helpers/in-process.ts";
import { scratchDir } from "../helpers/scratch.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const dir = scratchDir("policy-cli-");
const write = (name: string, objects: unknown[]) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, objects.map((o) => stringify(o)).join("---\n"));
  return file;
};

/** The entry point as `npm run policy` starts it (a real process: argv, stdin, exit code). */
function spawnPolicy(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/policy.ts"), ...args], { cwd: ROOT, input, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Everything else in-process through main(argv, io): the same exit-code mapping, no Node start-up per call. */
const run = (args: string[]) => runInProcess(main, args);

describe("npm run policy", () => {
  const clean = write("clean.yaml", goodSet());
  const failing = write("failing.yaml", withDeployment((d) => (firstContainer(d).image = "nginx:latest")));

  it("exits 0 on a clean set and 1 on an error finding", async () => {
    expect((await run([clean])).code).toBe(0);
    const r = await run(["--output", "json", failing]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.some((f: { ruleId: string }) => f.ruleId === "image-tag")).toBe(true);
  });

  it("reads stdin with -", () => {
    const r = spawnPolicy(["--output", "sarif", "-"], fs.readFileSync(failing, "utf8"));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("%3Cstdin%3E");
  });

  it("exits 2 with a one-line message on unreadable input and bad usage", async () => {
    for (const args of [[path.join(dir, "missing.yaml")], ["--output", "xml", clean], ["--profile", "nope", clean], ["--bogus"]]) {
      const r = await run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const bad = path.join(dir, "bad.yaml");
    fs.writeFileSync(bad, "kind: [\n");
    const r = await run([bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.yaml:");
  });
});
