// npm run verify: after a sync or apply, is the environment up? (the seed's "Verify Deployment").
import { InputError, parseCli, readInputFile, runMain, UsageError } from "./lib/cli.ts";
import { COMMON_OPTIONS, kubectlFor, parseOutput, runClusterCommand, targetLoader, type ClusterDeps } from "./cluster/command.ts";
import { runChecks } from "./cluster/report.ts";
import { fleetCluster, loadClusterTarget, resolveEnv } from "./cluster/target.ts";
const { pathToFileURL } = process.getBuiltinModule("node:url");

const USAGE = `Usage: npm run verify -- [--context NAME] [--cluster NAME] [--url URL] [--token-file FILE] [--output text|json] ENV

Checks an installed environment on the cluster of the current kube-context (or --context NAME):
  every Deployment/StatefulSet rolled out (with the reason when not: ImagePullBackOff, CrashLoopBackOff,
  missing Secret, unschedulable), the migration Job complete, the HPA reading metrics (not <unknown>),
  the claims Bound, External Secrets synced, the Ingress given an address, each HTTPRoute Accepted with
  its references resolved, the stack's Gateway Programmed, /health (and fast-time's) for every host
  through the Ingress or the route at its address, the gateway's /health and /ready answering, and for
  Argo CD installs the Application Synced and Healthy.

  --context NAME       kube-context to use (default: the current one)
  --url URL            reach /health and /ready at URL (the ingress, or http://localhost:8080 with a
                       kubectl port-forward) instead of through the API server's service proxy
  --cluster NAME       one cluster of a fleet (settings.clusters): its overlay clusters/<env>/<NAME>, its
                       Application mcp-stack-<env>-<NAME>; run it with that cluster's --context
  --token-file FILE    a JWT issued before a cutover from the Helm chart: checks the gateway still accepts it
                       (GET /v1/auth/email/me through --url); the token is never printed
  -o, --output FORMAT  text (default) or json
  -h, --help           this text

Exit: 0 all passed (warnings allowed), 1 a check failed or the cluster is unreachable, 2 usage error.`;

export async function main(argv = process.argv.slice(2), deps: ClusterDeps = {}): Promise<number> {
  const { values, positionals } = parseCli(argv, { ...COMMON_OPTIONS, url: { type: "string" }, "token-file": { type: "string" }, cluster: { type: "string" } }, USAGE);
  if (positionals.length !== 1) throw new UsageError(`name one environment\n\n${USAGE}`);
  const output = parseOutput(values.output);
  if (values.url !== undefined && !/^https?:\/\/[^/\s]+/.test(values.url)) {
    throw new UsageError(`--url ${values.url}: expected http://host[:port] or https://host`);
  }
  const token = values["token-file"] === undefined ? undefined : readToken(values["token-file"]);
  const { env, settings } = resolveEnv(positionals[0]);
  const cluster = values.cluster;
  if (env && settings.clusters.length && cluster === undefined) {
    throw new UsageError(`${env} is a fleet of ${settings.clusters.length} clusters: name one with --cluster`, { expected: settings.clusters.map((c) => c.name).join(", ") });
  }
  if (cluster !== undefined) fleetCluster(env ?? "the base", settings, cluster);
  const k = kubectlFor(values.context, deps);
  return runClusterCommand({ command: "verify", env: cluster ? `${env}/${cluster}` : env, namespace: settings.namespace }, k, output, async (_conn, progress) => {
    const target = cluster !== undefined ? await loadClusterTarget(env!, settings, cluster) : await targetLoader(deps)(env, settings);
    const { VERIFY_CHECKS } = await import("./cluster/checks-verify.ts"); // loaded once arguments are valid
    return runChecks(VERIFY_CHECKS, { k, target, ...(values.url ? { url: values.url } : {}), ...(token ? { token } : {}) }, progress);
  }, deps.io);
}

function readToken(file: string): string {
  const text = readInputFile(file, "--token-file").trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text)) {
    throw new InputError("not a JWT", { file, path: "--token-file", expected: "one line: header.payload.signature" });
  }
  return text;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(() => main());
