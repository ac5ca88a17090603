// npm run teardown: removes what an environment installed, in reverse order, keeping the data unless told.
import { parseCli, runMain, UsageError } from "./lib/cli.ts";
import { COMMON_OPTIONS, kubectlFor, parseOutput, runClusterCommand, targetLoader, type ClusterDeps } from "./cluster/command.ts";
import { offlineDryRun, runTeardown } from "./cluster/teardown-plan.ts";
import { resolveEnv } from "./cluster/target.ts";
const { createInterface } = process.getBuiltinModule("node:readline/promises");
const { pathToFileURL } = process.getBuiltinModule("node:url");

const USAGE = `Usage: npm run teardown -- [--context NAME] [--dry-run] [--delete-data [--yes]] [--delete-namespace] [--output text|json] ENV

Deletes what ENV installed on the cluster of the current kube-context (or --context NAME), in reverse
order: Ingress, HPA/PDB, gateway and apps, migration Jobs, data stores, Services, configuration.
Keeps the PersistentVolumeClaims (the data) unless --delete-data is given and confirmed. Never deletes
PersistentVolumes: manual-pv's volumes (reclaim policy Retain) survive every teardown.

  --context NAME       kube-context to use (default: the current one)
  --dry-run            print the kubectl delete commands, run none; without a reachable cluster, the
                       plan from the rendered overlay (namespace and Argo CD not checked)
  --delete-data        also delete the claims (and, with a Delete reclaim policy, the volumes and data);
                       asks you to type the namespace, or --yes when not interactive
  --yes                confirm --delete-data without asking
  --delete-namespace   delete the namespace too (needs --delete-data: its claims go with it)
  -o, --output FORMAT  text (default) or json
  -h, --help           this text

Refuses while an Argo CD Application still manages ENV (it would re-create everything).
Exit: 0 done, 1 a delete failed / Argo CD still manages ENV / cluster unreachable, 2 usage error (or not confirmed).`;

async function askToType(question: string, expected: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim() === expected;
  } finally {
    rl.close();
  }
}

export interface TeardownDeps extends ClusterDeps {
  /** Asks the operator to type `expected` (default: on a terminal, through readline; none otherwise). */
  confirm?: (question: string, expected: string) => Promise<boolean>;
}

export async function main(argv = process.argv.slice(2), deps: TeardownDeps = {}): Promise<number> {
  const { values, positionals } = parseCli(
    argv,
    {
      ...COMMON_OPTIONS,
      "dry-run": { type: "boolean", default: false },
      "delete-data": { type: "boolean", default: false },
      "delete-namespace": { type: "boolean", default: false },
      yes: { type: "boolean", short: "y", default: false },
    },
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(`name one environment\n\n${USAGE}`);
  const output = parseOutput(values.output);
  const { env, settings } = resolveEnv(positionals[0]);
  const opts = {
    deleteData: values["delete-data"],
    deleteNamespace: values["delete-namespace"],
    dryRun: values["dry-run"],
    yes: values.yes,
    ...(deps.confirm ? { confirm: deps.confirm } : process.stdin.isTTY && process.stderr.isTTY ? { confirm: askToType } : {}),
  };
  // Usage problems end the command before it touches the cluster.
  if (opts.deleteNamespace && !opts.deleteData) throw new UsageError("--delete-namespace deletes the claims in it too: give --delete-data as well");
  if (opts.deleteData && !opts.dryRun && !opts.yes && !opts.confirm) {
    throw new UsageError("--delete-data needs confirmation: run it in a terminal to be asked, or add --yes");
  }
  const k = kubectlFor(values.context, deps);
  return runClusterCommand(
    { command: "teardown", env, namespace: settings.namespace },
    k,
    output,
    async (_conn, progress) => runTeardown(k, await targetLoader(deps)(env, settings), opts, progress),
    deps.io,
    // A dry run needs no cluster: without one it prints the plan from the rendered overlay.
    opts.dryRun ? async (progress) => offlineDryRun(await targetLoader(deps)(env, settings), opts, progress) : undefined,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(() => main());
