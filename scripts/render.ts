// `npm run render`: kustomize build of every overlay (or the ones named), to stdout or to files.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { EXIT, InputError, parseCli, runMain } from "./lib/cli.ts";
import { listOverlays, overlayDir } from "./lib/overlays.ts";
import { kustomizeBuild } from "./lib/kustomize.ts";
import { OVERLAYS_DIR, REPO_ROOT } from "./lib/paths.ts";
import { loadSettingsFile } from "./settings/load.ts";
import { credentialsDir, ensureLocalCredentials } from "./generate/local-credentials.ts";
import { requiredSecrets } from "./stack/credentials.ts";

const USAGE = `Usage: npm run render -- [--out DIR] [ENV...]

Builds overlays/<env> with kustomize (standalone kustomize when on PATH, else kubectl kustomize).
With no ENV, every overlay. Without --out the YAML goes to stdout, one overlay after another.

  --out DIR    write DIR/<env>.yaml instead (DIR is created; dist/ is git-ignored)
  -h, --help   this text`;

export interface RenderedOverlay {
  env: string;
  yaml: string;
  warnings: string;
  ms: number;
  /** True when the git-ignored local credentials were missing and throwaway values were used. */
  placeholders: boolean;
}

/**
 * kustomize build of one overlay. An overlay with local credentials whose git-ignored files are missing (a fresh
 * clone, CI) is rendered from a scratch copy with strong throwaway values: rendering never writes into the tree.
 */
export async function renderOverlay(env: string, overlaysRoot = OVERLAYS_DIR): Promise<RenderedOverlay> {
  const started = performance.now();
  const dir = overlayDir(env, overlaysRoot);
  const root = path.dirname(overlaysRoot);
  const settings = loadSettingsFile(path.join(dir, "settings.yaml"));
  const missing =
    settings.credentials.source === "local" &&
    requiredSecrets(settings).some((spec) => !fs.existsSync(path.join(credentialsDir(root, env), `${spec.name}.env`)));
  if (!missing) return { env, ...(await kustomizeBuild(dir)), ms: performance.now() - started, placeholders: false };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-stack-render-"));
  try {
    for (const shared of ["base", "components"]) {
      if (fs.existsSync(path.join(root, shared))) fs.cpSync(path.join(root, shared), path.join(scratch, shared), { recursive: true });
    }
    const copy = path.join(scratch, "overlays", env);
    fs.cpSync(dir, copy, { recursive: true });
    const values = ensureLocalCredentials(root, env, settings); // pending writes dropped: throwaway values
    fs.mkdirSync(path.join(copy, "credentials"), { recursive: true });
    for (const [name, data] of Object.entries(values)) {
      fs.writeFileSync(path.join(copy, "credentials", `${name}.env`), Object.entries(data).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
    }
    return { env, ...(await kustomizeBuild(copy)), ms: performance.now() - started, placeholders: true };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Renders overlays concurrently; each result keeps kustomize's stderr (deprecation warnings). */
export async function renderOverlays(envs: string[] = listOverlays(), root = OVERLAYS_DIR): Promise<RenderedOverlay[]> {
  const known = new Set(listOverlays(root));
  for (const env of envs) {
    if (!known.has(env)) {
      throw new InputError(`no such environment: ${env}`, { expected: `one of ${[...known].join(", ")}` });
    }
  }
  return Promise.all(envs.map((env) => renderOverlay(env, root)));
}

async function main(): Promise<number> {
  const { values, positionals } = parseCli(process.argv.slice(2), { out: { type: "string" } }, USAGE);
  const rendered = await renderOverlays(positionals.length ? positionals : undefined);
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
