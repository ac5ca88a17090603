// Prints, as JSON, what importing each command's entry point (scripts/<name>.ts, given as arguments) loads before its
// main() runs: the packages under node_modules and the project's own modules, per command, in one process (a module
// an earlier command loaded is not listed again; what no command loads at import is loaded by none).
import { registerHooks } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const loaded = new Set();
registerHooks({
  load(url, context, next) {
    loaded.add(url);
    return next(url, context);
  },
});
const out = {};
for (const command of process.argv.slice(2)) {
  const before = new Set(loaded);
  await import(pathToFileURL(path.join(root, "scripts", `${command}.ts`)).href);
  out[command] = [...loaded]
    .filter((u) => !before.has(u) && u.startsWith("file:"))
    .map((u) => {
      const rel = path.relative(root, fileURLToPath(u)).split(path.sep).join("/");
      const pkg = rel.split("node_modules/").pop().split("/");
      return rel.includes("node_modules/") ? `npm:${pkg[0].startsWith("@") ? `${pkg[0]}/${pkg[1]}` : pkg[0]}` : rel;
    })
    .filter((v, i, all) => all.indexOf(v) === i);
}
process.stdout.write(JSON.stringify(out));
