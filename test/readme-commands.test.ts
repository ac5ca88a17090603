// Docs match behaviour: every `npm run NAME` the README shows is a script of package.json, and every flag the README
// passes to it is one that command's help (-h: validate follows kubeconform, whose flag parser knows -h) names. The settings table documents list items field
// by field (extraPatches[].path ...), not as "list of object". Help runs in-process through each entry file's exported
// main(argv, io); that each file runs its main when started is checked on its text here, and by the real processes of
// generate.test, check, command-help (all), validate/cli, policy/cli and cluster/cli.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { settingsTable } from "../scripts/settings/docs.ts";
import type { Io } from "../scripts/lib/cli.ts";
import { runInProcess } from "./helpers/in-process.ts";
import { REPO_ROOT } from "./helpers/repo.ts";

const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
const scripts = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** name -> every flag the README passes after `npm run name --` (up to a shell operator, comment or code-span end). */
function readmeFlags(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of readme.matchAll(/npm run ([a-z][a-z-]*)(?: -- ([^`|#>&\n]*))?/g)) {
    const flags = out.get(m[1]!) ?? new Set<string>();
    for (const token of (m[2] ?? "").split(/\s+/)) {
      const flag = /^\[?(--?[a-z][a-z-]*)/.exec(token)?.[1];
      if (flag && flag !== "-") flags.add(flag);
    }
    out.set(m[1]!, flags);
  }
  return out;
}

const entryFile = (script: string) => /^node ([\w/.-]+\.ts)/.exec(scripts[script] ?? "")?.[1];
type Command = (argv: string[], io: Io) => Promise<number | void> | number | void;

/**
 * `-h` through the entry file's exported main(argv, io) (cluster commands take deps second: -h is answered before
 * they are used), or deployability's cli(argv, {out, err}).
 */
async function help(script: string): Promise<{ code: number | null; stdout: string }> {
  const file = entryFile(script);
  if (!file) return { code: -1, stdout: `package.json script ${script} is not "node <file>.ts"` };
  const mod = (await import(path.join(REPO_ROOT, file))) as { main?: Command; cli?: (argv: string[], io: { out: Io["stdout"]; err: Io["stderr"] }) => Promise<number> };
  const { main, cli } = mod;
  if (main) return runInProcess((argv, io) => main(argv, io), ["-h"]);
  if (cli) return runInProcess((argv, io) => cli(argv, { out: io.stdout, err: io.stderr }), ["-h"]);
  return { code: -1, stdout: `${file} exports no main(argv, io)` };
}

describe("README commands", () => {
  const used = readmeFlags();

  it("name scripts that exist", () => {
    expect([...used.keys()].filter((name) => !(name in scripts))).toEqual([]);
    expect(used.size).toBeGreaterThan(10);
  });

  it("pass only flags each command's --help names", async () => {
    const named = [...used].filter(([name]) => name !== "test" && /^node [\w/.-]+\.ts/.test(scripts[name] ?? ""));
    const helps: (readonly [string, { code: number | null; stdout: string }])[] = [];
    for (const [name] of named) helps.push([name, await help(name)]);
    const problems: string[] = [];
    for (const [name, { code, stdout }] of helps) {
      if (code !== 0) problems.push(`npm run ${name} -- -h exits ${code}`);
      // kubeconform's single-dash spelling (-summary) is documented by its double-dash form.
      for (const flag of used.get(name)!) if (!stdout.includes(`-${flag.replace(/^-+/, "")}`)) problems.push(`npm run ${name}: ${flag} not in --help`);
    }
    expect(problems).toEqual([]);
  });
});

describe("entry files", () => {
  it("run their exported main (or cli) with the process's arguments when started as a file, and only then", () => {
    const files = [...new Set(Object.keys(scripts).map(entryFile).filter((f): f is string => !!f))];
    expect(files.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
      if (!/^export (async )?function (main|cli)\(/m.test(text)) problems.push(`${file}: exports no main(argv, io)`);
      const guard = /^if \((?:import\.meta\.main|(?:process\.argv\[1\] && )?import\.meta\.url === pathToFileURL\(process\.argv\[1\][^)]*\)\.href)\) .*\b(?:main|cli)\b/m;
      if (!guard.test(text)) problems.push(`${file}: no entry-point guard running main when started as a file`);
    }
    expect(problems).toEqual([]);
  });
});

describe("settings table", () => {
  it("documents the fields of list items", () => {
    const table = settingsTable();
    expect(table).toMatch(/^\| `extraPatches\[\]\.path` \| string \|.*strategic-merge patch/m);
    expect(table).toMatch(/^\| `extraPatches\[\]\.target\.kind` \| string \|/m);
    expect(table).toMatch(/^\| `extraPatches` \| list of object \| `\[\]` \| Hand-written patches .*e\.g\. /m);
  });
});

describe("scripts", () => {
  it("run nothing from node_modules that is not installed (npm run bench spawned a removed tsx)", () => {
    const dir = path.join(REPO_ROOT, "scripts");
    const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(".ts"));
    const missing: string[] = [];
    for (const e of files) {
      const text = fs.readFileSync(path.join(e.parentPath, e.name), "utf8");
      for (const m of text.matchAll(/["'`](node_modules\/[^"'`]+)["'`]/g)) {
        if (!fs.existsSync(path.join(REPO_ROOT, m[1]!))) missing.push(`${path.relative(REPO_ROOT, path.join(e.parentPath, e.name))}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
