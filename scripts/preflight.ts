// npm run preflight: the seed's pre-flight checklist and what an environment needs, against the cluster.
import { parseCli, runMain, UsageError } from "./lib/cli.ts";
import { COMMON_OPTIONS, kubectlFor, parseOutput, runClusterCommand, targetLoader, type ClusterDeps } from "./cluster/command.ts";
import { runChecks } from "./cluster/report.ts";
import { listOverlays } from "./lib/overlays.ts";
import { MIN_SERVER_VERSION, resolveEnv } from "./cluster/target.ts";
const { pathToFileURL } = process.getBuiltinModule("node:url");

/** The environments are whatever overlays/<env>/settings.yaml exist today. */
export const usage = (envs: string[] = listOverlays()) => `Usage: npm run preflight -- [--context NAME] [--output text|json] [ENV]

Checks the cluster of the current kube-context (or --context NAME) before an install of ENV
(${envs.length ? envs.join(", ") : "no environment yet: add overlays/<env>/settings.yaml"}; without ENV: the base with default settings):
  context and API server reachable, server version >= ${MIN_SERVER_VERSION.major}.${MIN_SERVER_VERSION.minor}, permissions to create every
  kind the environment renders (kubectl auth can-i), StorageClass (default or named) or free manual
  PersistentVolumes, IngressClass and a running ingress controller, or with Gateway API its CRDs, the
  GatewayClass accepted by its controller and (attaching) the Gateway, its listener and allowedRoutes,
  metrics-server when it has an HPA,
  the CRDs it renders (External Secrets, Prometheus Operator, Argo CD), the namespace's Pod Security
  level, and the Secrets or secret store its credentials come from.

  --context NAME       kube-context to use (default: the current one)
  -o, --output FORMAT  text (default) or json
  -h, --help           this text

Exit: 0 all passed (warnings allowed), 1 a check failed or the cluster is unreachable, 2 usage error.`;

export async function main(argv = process.argv.slice(2), deps: ClusterDeps = {}): Promise<number> {
  const USAGE = usage();
  const { values, positionals } = parseCli(argv, COMMON_OPTIONS, USAGE);
  if (positionals.length > 1) throw new UsageError(`one environment at most, got ${positionals.join(" ")}\n\n${USAGE}`);
  const output = parseOutput(values.output);
  const { env, settings } = resolveEnv(positionals[0]);
  const k = kubectlFor(values.context, deps);
  return runClusterCommand({ command: "preflight", env, namespace: settings.namespace }, k, output, async (conn, progress) => {
    const target = await targetLoader(deps)(env, settings);
    const { PREFLIGHT_CHECKS } = await import("./cluster/checks-preflight.ts"); // loaded once arguments are valid
    return runChecks(PREFLIGHT_CHECKS, { k, target, ...conn }, progress);
  }, deps.io);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(() => main());
