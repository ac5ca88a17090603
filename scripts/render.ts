// `npm run render`: kustomize build of every overlay (or the ones named), to stdout or to files.
import { EXIT, outputDir, parseCli, runMain, type Io, processIo } from "./lib/cli.ts";
import { REPO_ROOT } from "./lib/paths.ts";
import { loadEnvironments } from "./lib/overlays.ts";
import { renderOverlays } from "./lib/render.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const { pathToFileURL } = process.getBuiltinModule("node:url");

const USAGE = `Usage: npm run render -- [--out DIR] [ENV...]

Builds overlays/<env> with kustomize (standalone kustomize when on PATH, else kubectl kustomize).
With no ENV, every overlay. Without --out the YAML goes to stdout, one overlay after another.

  --out DIR    write DIR/<env>.yaml instead (DIR is created; dist/ is git-ignored)
  -h, --help   this text

Exit codes: 0 rendered, 2 usage, bad settings or a failed kustomize build (one a hand-written extra causes
names its extraResources/extraPatches entry in settings.yaml).`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const { values, positionals } = parseCli(argv, { out: { type: "string" } }, USAGE);
  if (values.out) outputDir(path.resolve(REPO_ROOT, values.out), "--out");
  const rendered = await renderOverlays(loadEnvironments(), positionals.length ? positionals : undefined);
  for (const r of rendered) {
    if (r.warnings.trim()) io.stderr(`${r.env}: ${r.warnings.trim()}\n`);
    if (r.placeholders) {
      io.stderr(`${r.env}: local credentials missing: rendered with throwaway values; run \`npm run generate\` first to deploy\n`);
    }
    if (values.out) {
      const dir = path.resolve(REPO_ROOT, values.out);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${r.env}.yaml`), r.yaml);
      io.stderr(`wrote ${path.relative(REPO_ROOT, path.join(dir, `${r.env}.yaml`))}\n`);
    } else {
      io.stdout(`# overlay: ${r.env}\n---\n${r.yaml}`);
    }
  }
  return EXIT.clean;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(main);
