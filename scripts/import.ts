// `npm run import -- --from-helm VALUES.yaml --env NAME`: writes overlays/NAME/settings.yaml from a values file
// of the mcp-stack Helm chart and prints what became of every value (scripts/import/helm-values.ts).
import { parseDocument, stringify } from "yaml";
import { EXIT, InputError, parseCli, readInputFile, runMain, UsageError } from "./lib/cli.ts";
import { OVERLAYS_DIR, relativeToRepo } from "./lib/paths.ts";
import { parseSettings } from "./settings/load.ts";
import { importHelmValues, type ImportRow } from "./import/helm-values.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const { pathToFileURL } = process.getBuiltinModule("node:url");

const USAGE = `Usage: npm run import -- --from-helm VALUES.yaml --env NAME [--release NAME] [--namespace NS] [--force]

Writes overlays/NAME/settings.yaml from a values file of the mcp-stack Helm chart (0.9.x and 1.x layouts) and
prints a table of every value it read: mapped (to which setting), dropped (why), or needing a decision (why).
Values the file does not set take this project's defaults, not the chart's. Credentials are never written:
the cutover runbook (npm run notes -- NAME --migrate-from-helm) copies them from the release's Secrets.

  --from-helm FILE   the release's values (helm get values RELEASE -a -o yaml > values.yaml, or your values file)
  --env NAME         the environment to create (a DNS label)
  --release NAME     the Helm release (default mcp-stack): names the claims and Secrets to adopt
  --namespace NS     the release's namespace (default: the settings' default, mcp); adopted claims live there
  --force            overwrite an existing settings.yaml
  -h, --help         this text

Exit codes: 0 written (read the "decide" rows), 2 bad input (nothing written).`;

export interface Io {
  stdout: (text: string) => void;
  overlaysDir?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export async function main(argv: string[], io: Io = { stdout: (t) => process.stdout.write(t) }): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(USAGE + "\n");
    return EXIT.clean;
  }
  const { values, positionals } = parseCli(
    argv,
    {
      "from-helm": { type: "string" },
      env: { type: "string" },
      release: { type: "string", default: "mcp-stack" },
      namespace: { type: "string" },
      force: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`, { expected: "only flags" });
  const from = values["from-helm"];
  const env = values.env;
  if (!from) throw new UsageError("--from-helm is required", { expected: "the chart's values file" });
  if (!env) throw new UsageError("--env is required", { expected: "the name of the environment to create" });
  for (const [flag, v] of [["--env", env], ["--release", values.release], ["--namespace", values.namespace]] as const) {
    if (v !== undefined && !DNS_LABEL.test(v)) throw new UsageError(`${flag} ${JSON.stringify(v)} is not a DNS label`, { expected: "lower-case letters, digits and '-', at most 63" });
  }

  const chartValues = readValues(from);
  const result = importHelmValues(chartValues, { release: values.release!, namespace: values.namespace });
  const overlaysDir = io.overlaysDir ?? OVERLAYS_DIR;
  const target = path.join(overlaysDir, env, "settings.yaml");
  if (fs.existsSync(target) && !values.force) {
    throw new InputError(`${relativeToRepo(target)} exists`, { expected: "a new environment name, or --force to overwrite" });
  }
  const text = settingsText(from, values.release!, result.layout, result.settings, result.rows);
  // The result must load like any hand-written settings file before anything is written.
  parseSettings(text, relativeToRepo(target));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, target);

  io.stdout(table(result.rows));
  const count = (s: ImportRow["status"]) => result.rows.filter((r) => r.status === s).length;
  io.stdout(
    `\nchart layout ${result.layout}: ${result.rows.length} values read: ${count("mapped")} mapped, ${count("dropped")} dropped, ${count("decide")} need a decision\n` +
      `wrote ${relativeToRepo(target)}; next: npm run generate, then npm run notes -- ${env} --migrate-from-helm\n`,
  );
  return EXIT.clean;
}

function readValues(file: string): Record<string, unknown> {
  const text = readInputFile(file);
  if (text.length > 4 * 1024 * 1024) throw new InputError("larger than 4 MiB", { file, expected: "a Helm values file" });
  // Helm reads values as YAML 1.2 (sigs.k8s.io/yaml); so do we.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) throw new InputError(`YAML syntax error: ${doc.errors[0]!.message.split("\n")[0]}`, { file });
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new InputError(`YAML rejected: ${(err as Error).message}`, { file });
  }
  // An empty file is almost always a failed `helm get values ... > values.yaml`: importing only defaults would hide it.
  if (data === null || data === undefined) throw new InputError("empty: no values", { file, expected: "chart values (helm get values RELEASE -a -o yaml)" });
  if (typeof data !== "object" || Array.isArray(data)) throw new InputError("not a mapping", { file, expected: "chart values (key: value pairs)" });
  return data as Record<string, unknown>;
}

function settingsText(from: string, release: string, layout: string, settings: Record<string, unknown>, rows: ImportRow[]): string {
  const decisions = rows.filter((r) => r.status === "decide");
  const header = [
    "# yaml-language-server: $schema=../../settings.schema.json",
    `# Imported by \`npm run import\` from ${path.basename(from)} (mcp-stack chart, ${layout} layout, release ${release}).`,
    "# Hand-edited from here on. Values the chart file did not set take this project's defaults.",
    ...(decisions.length ? ["# Decisions left open at import:", ...decisions.map((d) => `#   ${d.value}: ${d.detail}`)] : []),
  ];
  return `${header.join("\n")}\n${stringify(settings, { lineWidth: 0 })}`;
}

function table(rows: ImportRow[]): string {
  const width = Math.min(60, Math.max(5, ...rows.map((r) => r.value.length)));
  const lines = [`${"value".padEnd(width)}  status   setting / reason`];
  for (const r of rows) lines.push(`${r.value.padEnd(width)}  ${r.status.padEnd(7)}  ${r.detail}`);
  return lines.join("\n") + "\n";
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(() => main(process.argv.slice(2)));
