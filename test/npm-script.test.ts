// scripts/lib/npm-script.ts: benchmarks time the command package.json's script runs (its environment
// assignments and node flags included), so a change to the script changes what is measured.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { npmScriptCommand } from "../scripts/lib/npm-script.ts";
import { REPO_ROOT } from "../scripts/lib/paths.ts";

describe("npmScriptCommand", () => {
  it.each(["validate", "policy", "check", "generate"])("%s: Node's compile cache in the repository's .cache, the entry file", (name) => {
    const command = npmScriptCommand(name);
    expect(command.env).toEqual({ NODE_COMPILE_CACHE: path.join(REPO_ROOT, ".cache/node-compile") });
    expect(command.argv[0]).toBe(process.execPath);
    expect(command.argv.at(-1)).toBe(path.join(REPO_ROOT, `scripts/${name}.ts`));
  });

  it("keeps node's flags as written", () => {
    expect(npmScriptCommand("validate").argv).toContain("--max-semi-space-size=2");
  });

  it("a script that is missing or does not run node is an error naming it", () => {
    expect(() => npmScriptCommand("no-such-script")).toThrow("package.json has no no-such-script script");
    expect(() => npmScriptCommand("test")).toThrow("package.json's test script does not run node: vitest run");
  });
});
