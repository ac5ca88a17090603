// The command an npm script runs, read from package.json, for benchmarks that time what users run.
import { REPO_ROOT } from "./paths.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

/**
 * `npm run NAME` as package.json spells it (environment assignments, whose values are paths in the repository such as
 * NODE_COMPILE_CACHE's; node and its flags; the script), so a
 * benchmark measures the command users run: `NODE_COMPILE_CACHE=DIR` (the entry file's type stripping cached
 * too, so Node's TypeScript transformer is not loaded at all) and V8 flags such as `--max-semi-space-size`.
 */
export function npmScriptCommand(name: string): { env: Record<string, string>; argv: string[] } {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const script = pkg.scripts[name];
  if (script === undefined) throw new Error(`package.json has no ${name} script`);
  const words = script.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0] ?? "")) {
    const [variable, value] = words.shift()!.split(/=(.*)/) as [string, string];
    env[variable] = path.resolve(REPO_ROOT, value);
  }
  if (words.shift() !== "node") throw new Error(`package.json's ${name} script does not run node: ${script}`);
  return { env, argv: [process.execPath, ...words.map((w) => (w.startsWith("-") ? w : path.join(REPO_ROOT, w)))] };
}
