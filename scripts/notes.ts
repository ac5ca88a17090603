// `npm run notes -- <env>`: what the chart's NOTES.txt tells you after an install, derived from the
// environment's settings: where the gateway is reached, port-forward commands, how to read the admin
// credentials from the cluster (per credentials source), how to follow the migration and post-sync Jobs,
// and how to watch the Argo CD Application. Unlike NOTES.txt it never looks anything up and never prints a secret.
import { EXIT, UsageError, parseCli, runMain, type Io, processIo } from "./lib/cli.ts";
import { listOverlays } from "./lib/overlays.ts";
import { OVERLAYS_DIR } from "./lib/paths.ts";
import { loadSettingsFile } from "./settings/load.ts";
const path = process.getBuiltinModule("node:path");
const { pathToFileURL } = process.getBuiltinModule("node:url");

const USAGE = `Usage: npm run notes -- <env> [--migrate-from-helm [RELEASE]]

Prints, for overlays/<env>, what the Helm chart's NOTES.txt prints after an install: URLs, port-forward
commands, how to read the admin credentials from the cluster, how to follow the migration and the
post-sync tests, and the Argo CD commands. Nothing is looked up; no secret is printed.

  --migrate-from-helm RELEASE   instead, the cutover runbook from Helm release RELEASE of the mcp-stack chart:
                                keep the claims, copy the Secrets, dump, scale down, uninstall, deploy, migrate,
                                verify, and how to roll back. Without RELEASE: settings' migrateFromHelm.release
                                (npm run import writes it)
  -h, --help   this text

Exit codes: 0 printed, 2 usage or bad settings.`;

/** `--migrate-from-helm` given last or before another option has no RELEASE: marked "" (settings' release). */
const releaseOptional = (argv: string[]): string[] =>
  argv.map((a, i) => (a === "--migrate-from-helm" && (i === argv.length - 1 || argv[i + 1]!.startsWith("-")) ? "--migrate-from-helm=" : a));

export async function main(given: string[], io: Io = processIo): Promise<number> {
  const argv = releaseOptional(given);
  const { positionals, values } = parseCli(argv, { "migrate-from-helm": { type: "string" } }, USAGE);
  const envs = listOverlays();
  if (positionals.length !== 1) throw new UsageError("name one environment", { expected: `one of ${envs.join(", ")}` });
  const env = positionals[0]!;
  if (!envs.includes(env)) throw new UsageError(`no such environment: ${env}`, { expected: `one of ${envs.join(", ")}` });
  const settings = loadSettingsFile(path.join(OVERLAYS_DIR, env, "settings.yaml"));
  // The stack's helpers load only now that the arguments are valid: --help and usage errors stay light.
  const { cutoverNotes, cutoverRelease, notes } = await import("./notes/text.ts");
  if (values["migrate-from-helm"] !== undefined) {
    const release = cutoverRelease(values["migrate-from-helm"], settings, env);
    if (!/^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/.test(release)) throw new UsageError(`--migrate-from-helm ${JSON.stringify(release)} is not a Helm release name`, { expected: "lower-case letters, digits and '-'" });
    io.stdout(cutoverNotes(env, settings, release));
    return EXIT.clean;
  }
  io.stdout(notes(env, settings));
  return EXIT.clean;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(main);
