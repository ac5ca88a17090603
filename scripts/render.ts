// `npm run render`: kustomize build of every overlay (or the ones named), to stdout or to files.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { EXIT, parseCli, runMain } from "./lib/cli.ts";
import { REPO_ROOT } from "./lib/paths.ts";
import { loadEnvironments } from "./lib/overlays.ts";
import { renderOverlays } from "./lib/render.ts";

const USAGE = `Usage: npm run render -- [--out DIR] [ENV...]

Builds overlays/<env> with kustomize (standalone kustomize when on PATH, else kubectl kustomize).
With no ENV, every overlay. Without --out the YAML goes to stdout, one overlay after another.

  --out DIR    write DIR/<env>.yaml instead (DIR is created; dist/ is git-ignored)
  -h, --help   this text`;

async function main(): Promise<number> {
  const { values, positionals } = parseCli(process.argv.slice(2), { out: { type: "string" } }, USAGE);
  const rendered = await renderOverlays(loadEnvironments(), positionals.length ? positionals : undefined);
  for (const r of rendered) {
    if (r.warnings.trim()) process.stderr.write(`${r.env}: ${r.warnings.trim()}\n`);
    if (r.placeholders) {
      process.stderr.write(`${r.env}: local credentials missing: rendered with throwaway values; run \`npm run generate\` first to deploy\n`);
    }
    if (values.out) {
      const dir = path.resolve(REPO_ROOT, values.out);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${r.env}.yaml`), r.yaml);
      process.stderr.write(`wrote ${path.relative(REPO_ROOT, path.join(dir, `${r.env}.yaml`))}\n`);
    } else {
      process.stdout.write(`# overlay: ${r.env}\n---\n${r.yaml}`);
    }
  }
  return EXIT.clean;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(main);
