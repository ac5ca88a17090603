// `npm run generate`: renders the typed model into base/, components/, overlays/<env>/ and the root Argo CD
// kustomization; `--check` writes nothing and exits 1 listing every file that differs, is missing or stale.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { EXIT, parseCli, runMain } from "./lib/cli.ts";
import { REPO_ROOT } from "./lib/paths.ts";
import { generate } from "./generate/run.ts";

const USAGE = `Usage: npm run generate -- [--check] [--root DIR]

Renders base/, components/, every overlays/<env>/ (from its settings.yaml), the root kustomization
(Argo CD objects), settings.schema.json and the README settings table.

  --check      write nothing; exit 1 listing every file that differs, is missing or is stale
  --root DIR   repository root to work on (default: this repository)
  -h, --help   this text

Exit codes: 0 up to date / written, 1 drift (--check), 2 bad settings or usage.`;

async function main(): Promise<number> {
  const { values } = parseCli(process.argv.slice(2), { check: { type: "boolean" }, root: { type: "string" } }, USAGE);
  const root = path.resolve(values.root ?? REPO_ROOT);
  const { plan, drift, credentials } = await generate(root, { check: Boolean(values.check) });
  const lines = [
    ...drift.changed.map((f) => `${values.check ? "differs" : "updated"}: ${f}`),
    ...drift.missing.map((f) => `${values.check ? "missing" : "created"}: ${f}`),
    ...drift.stale.map((f) => `${values.check ? "stale" : "removed"}: ${f}`),
  ];
  const total = drift.changed.length + drift.missing.length + drift.stale.length;
  if (values.check) {
    if (total) {
      process.stdout.write(lines.join("\n") + `\n${total} generated file(s) out of date: run \`npm run generate\`\n`);
      return EXIT.findings;
    }
    process.stdout.write(`generated files up to date (${plan.size} files)\n`);
    return EXIT.clean;
  }
  for (const c of credentials) {
    lines.push(`${c.action === "created" ? "created local credentials" : "added missing keys to local credentials"}: ${c.file} (git-ignored, mode 0600, never overwritten)`);
  }
  process.stdout.write((lines.length ? lines.join("\n") + "\n" : "") + `${plan.size} generated files, ${total} changed\n`);
  return EXIT.clean;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(main);
