// npm run deployability -- [--output text|json|sarif] [--config FILE] [--from DIR] [ENV...]
import { EXIT, InputError, parseCli, runMain, UsageError, useColour } from "./lib/cli.ts";

export const USAGE = `Usage: npm run deployability -- [options] [ENV...]

Deployability analysis of every overlay (or the ENVs named): what schema and policy checks cannot see
because it lives between objects, between Argo CD waves, and between the manifests and the applications.
  - first sync simulated as Argo CD runs it (hooks, waves, health rules), against what the environment's
    settings declare about the cluster (cluster: section): objects that never become healthy, references
    to later waves, CRD kinds that would abort the dry run
  - plain kubectl apply: containers that crash-loop while a dependency starts
  - application wiring against scripts/deployability/data/app.yaml: image users, writable paths, ports,
    the PostgreSQL connection budget, network flows (NetworkPolicies and the gateway's SSRF settings),
    cookie security against TLS

Options:
  --output text|json|sarif   report format (default text)
  --config FILE              exemptions (default scripts/deployability/data/config.yaml)
  --from DIR                 analyse saved renderings: DIR/<env>.yaml with DIR/<env>.settings.yaml
                             (and DIR/argocd/application-mcp-stack-<env>.yaml) instead of the overlays
  -h, --help                 this text

Exit codes: 0 no unexempted error, 1 an unexempted error finding, 2 usage or unreadable input.`;

const FORMATS = ["text", "json", "sarif"] as const;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  colour?: boolean;
}

const STDIO: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), colour: useColour() };

/** The command, in-process: returns the exit code (0 clean, 1 findings, 2 usage or bad input). */
export async function cli(argv: string[], io: Io = STDIO): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.out(USAGE + "\n");
    return EXIT.clean;
  }
  try {
    const { values, positionals } = parseCli(argv, { output: { type: "string", short: "o", default: "text" }, config: { type: "string" }, from: { type: "string" } }, USAGE);
    const output = values.output as string;
    if (!(FORMATS as readonly string[]).includes(output)) throw new UsageError(`unknown --output "${output}"`, { expected: FORMATS.join(", ") });
    // The analysis (the model, the rules, the reporters) loads only once the arguments are valid.
    const [{ hasBlockingFindings, renderJson, renderSarif, renderText }, { RULES }, { runDeployability }] = await Promise.all([
      import("@mcp-stack/policy-engine"),
      import("./deployability/rules.ts"),
      import("./deployability/run.ts"),
    ]);
    const reports = await runDeployability({ envs: positionals, from: values.from as string | undefined, configFile: values.config as string | undefined });
    io.out(output === "json" ? renderJson(reports) : output === "sarif" ? renderSarif(reports, RULES, { toolName: "mcp-stack-deployability" }) : renderText(reports, { colour: io.colour ?? false }));
    return reports.some((r) => hasBlockingFindings(r.findings)) ? EXIT.findings : EXIT.clean;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    io.err(`error: ${err.format()}\n`);
    return EXIT.usage;
  }
}

if (import.meta.main) await runMain(() => cli(process.argv.slice(2)));
