// `npm run all`: the main job, `npm run generate` then `npm run check`, each in its own process as the README
// describes. Options go to check; --help prints this help and runs nothing (a `&&` chain in package.json would
// have generated first and passed --help to check only).
import { EXIT, type Io, processIo, runMain } from "./lib/cli.ts";
import { REPO_ROOT } from "./lib/paths.ts";
import { boundToParent } from "./lib/child.ts";
const { spawnSync } = process.getBuiltinModule("node:child_process");
const path = process.getBuiltinModule("node:path");
const { pathToFileURL } = process.getBuiltinModule("node:url");

export const USAGE = `Usage: npm run all -- [check options]

The main job: npm run generate (writes base/, components/, overlays/<env>/, the root kustomization,
settings.schema.json and the README tables; the first run also writes git-ignored local credentials),
then npm run check (the pull-request gate) with the options given, e.g.
  npm run all -- --kubernetes-version 1.33.1 --json gate.json

  -h, --help   this text (nothing is generated); npm run check -- --help lists check's options

Exit codes: generate's when it fails (2 bad settings), else check's (0 passed, 1 gate failed, 2 usage).`;

export function main(argv: string[], io: Io = processIo): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(USAGE + "\n");
    return EXIT.clean;
  }
  for (const [script, args] of [["generate.ts", []], ["check.ts", argv]] as const) {
    // Each stage dies with this process, even after a SIGKILL of it (child.ts).
    const child = boundToParent(process.execPath, [path.join(REPO_ROOT, "scripts", script), ...args]);
    const run = spawnSync(child.cmd, child.args, { stdio: "inherit" });
    if (run.status !== 0) return run.status ?? EXIT.usage;
  }
  return EXIT.clean;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(main);
