// One way through the code (issue 14): stages never import each other sideways, data flows settings -> model ->
// overlays -> render -> checks, and no module closes an import circle. Read from the sources' import statements.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./helpers/repo.ts";

const SCRIPTS = path.join(REPO_ROOT, "scripts");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sources(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

const rel = (f: string) => path.relative(REPO_ROOT, f).split(path.sep).join("/");
/** Each module's relative imports (static, dynamic and re-exports; not `import type`, erased at run time), as repository paths. */
const graph = new Map(
  [...sources(SCRIPTS), ...sources(path.join(REPO_ROOT, "policy"))].map((f) => {
    const text = fs.readFileSync(f, "utf8").replace(/^import type [^;]*;/gms, "");
    const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+\.ts)"/g)].map((m) => rel(path.resolve(path.dirname(f), m[1]!)));
    return [rel(f), [...new Set(specs)]];
  }),
);
/** A command's entry point: scripts/<name>.ts (npm run <name>). */
const isCommand = (f: string) => /^scripts\/[^/]+\.ts$/.test(f);
const folderOf = (f: string) => /^scripts\/([^/]+)\//.exec(f)?.[1];

/** What a folder must not import: the stages after it (data flows one way). */
const LATER: Record<string, string[]> = {
  settings: ["stack", "generate", "check", "deployability", "cluster", "notes", "bench"],
  stack: ["generate", "check", "deployability", "cluster", "validate", "notes", "bench"],
  generate: ["check", "deployability", "cluster", "validate", "notes", "bench"],
  lib: ["generate", "check", "deployability", "cluster", "validate", "notes", "bench"],
  deployability: ["generate", "check", "cluster", "notes", "bench"],
  validate: ["stack", "generate", "check", "deployability", "cluster", "notes"],
  cluster: ["generate", "check", "deployability", "notes", "bench"],
};

describe("imports", () => {
  it("the graph is read (the test sees the project's modules)", () => {
    expect(graph.get("scripts/stack/index.ts")).toContain("scripts/stack/network.ts");
    expect(graph.size).toBeGreaterThan(100);
  });
  it("no module imports a command's entry point: commands are thin CLIs over libraries", () => {
    const offending = [...graph].flatMap(([f, deps]) => deps.filter(isCommand).map((d) => `${f} -> ${d}`));
    expect(offending).toEqual([]);
  });
  it("no folder imports a later stage", () => {
    const offending = [...graph].flatMap(([f, deps]) => {
      const forbidden = LATER[folderOf(f) ?? ""] ?? [];
      return deps.filter((d) => forbidden.includes(folderOf(d) ?? "")).map((d) => `${f} -> ${d}`);
    });
    expect(offending).toEqual([]);
  });
  it("no import circle", () => {
    const circles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "open") {
        circles.push([...trail.slice(trail.indexOf(f)), f].join(" -> "));
        return;
      }
      state.set(f, "open");
      for (const d of graph.get(f) ?? []) visit(d, [...trail, f]);
      state.set(f, "done");
    };
    for (const f of [...graph.keys()].sort()) visit(f, []);
    expect(circles).toEqual([]);
  });
});

describe("what the generator loads", () => {
  it("settings and the generator import the policy engine's route helpers only, never the engine with its rules, at load", () => {
    const offending = [...sources(path.join(SCRIPTS, "settings")), ...sources(path.join(SCRIPTS, "generate")), ...sources(path.join(SCRIPTS, "lib"))].filter((f) =>
      /^import (?!type\b)[^;]*from\s*"@mcp-stack\/policy-engine"/m.test(fs.readFileSync(f, "utf8")),
    );
    expect(offending.map(rel)).toEqual([]);
  });
});

describe("what policy loads", () => {
  it("the policy's own code takes no YAML library in through the generator's manifest helpers (scripts/lib/manifest.ts, yaml.ts)", () => {
    const offending = [...graph].flatMap(([f, deps]) => (f.startsWith("policy/") ? deps.filter((d) => d === "scripts/lib/manifest.ts" || d === "scripts/lib/yaml.ts").map((d) => `${f} -> ${d}`) : []));
    expect(offending).toEqual([]);
  });
});

describe("Node's builtins", () => {
  // An ESM import of a builtin builds its module facade, which reads every export: node:fs's lazy getters then load
  // all of streams, fs/promises and readline, node:crypto's webcrypto (about 8 ms of each command's start-up, 20 ms of
  // CPU on one overlay's validate). process.getBuiltinModule returns the module without a facade.
  const runTime = [
    ...sources(SCRIPTS),
    ...sources(path.join(REPO_ROOT, "policy")),
    ...fs.readdirSync(path.join(REPO_ROOT, "packages")).flatMap((p) => sources(path.join(REPO_ROOT, "packages", p, "src"))),
  ];
  it("are taken with process.getBuiltinModule in every run-time source, never an ESM import", () => {
    const offending = runTime.flatMap((f) =>
      [...fs.readFileSync(f, "utf8").matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?\bfrom\s*"(node:[^"]+)"|\bimport\(\s*"(node:[^"]+)"/gm)].map((m) => `${rel(f)}: ${m[1] ?? m[2]}`),
    );
    expect(runTime.length).toBeGreaterThan(150);
    expect(offending).toEqual([]);
  });
});

describe("what a command loads before it reads its arguments", () => {
  // --help, a usage error and a small input must not pay for the model (kubernetes-models and its ajv schemas, ~0.2 s
  // of start-up): each command loads what its work needs once the arguments are valid (issue 17).
  it("no command's entry point loads kubernetes-models, ajv or the stack's model at import", () => {
    const commands = fs.readdirSync(SCRIPTS).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3)).sort();
    expect(commands).toEqual(expect.arrayContaining(["bench", "check", "deployability", "generate", "notes", "policy", "preflight", "teardown", "validate", "verify"]));
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, "test/helpers/modules-loaded.mjs"), ...commands], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const loaded = JSON.parse(run.stdout) as Record<string, string[]>;
    expect(Object.keys(loaded).sort()).toEqual(commands);
    const heavy = Object.entries(loaded).flatMap(([command, modules]) =>
      modules.filter((m) => /^npm:(kubernetes-models|@kubernetes-models\/|ajv)/.test(m) || m === "scripts/stack/index.ts").map((m) => `${command}: ${m}`),
    );
    expect(heavy).toEqual([]);
    // The hook sees what it should: a command that loads yaml at import is listed with it.
    expect(Object.values(loaded).flat()).toContain("npm:yaml");
  });
});
