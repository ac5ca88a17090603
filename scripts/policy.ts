// npm run policy -- [--output text|json|sarif] [--profile NAME] [--kubernetes-version V] [--config FILE] [PATH|-]...
// Node's module compile cache first (it covers what is loaded after it, type stripping included).
const module = process.getBuiltinModule("node:module");

module.enableCompileCache?.();
const { EXIT, parseCli, processIo, runMain, UsageError, useColour } = await import("./lib/cli.ts");
const { renderJson, renderSarif, renderText } = await import("@mcp-stack/policy-engine");
const { DEFAULT_KUBERNETES_VERSION, hasBlockingFindings, PROFILES, RULES, STRICTEST_PROFILE } = await import("../policy/engine.ts");
const { loadPolicyConfig, runPolicy, SARIF_OPTIONS } = await import("../policy/run.ts");
type Io = import("./lib/cli.ts").Io;

const USAGE = `Usage: npm run policy -- [options] [PATH|-]...

Checks rendered manifests against the project's policy rules (${RULES.length} rules).
With no PATH, every overlay is rendered with kustomize and checked under the profile its settings name.
With PATHs (files, directories, - for stdin), the ${STRICTEST_PROFILE} profile applies unless --profile is given.

Options:
  --output text|json|sarif   report format (default text)
  --profile NAME             ${Object.keys(PROFILES).join(" | ")}
  --kubernetes-version V     target version for API deprecations (default ${DEFAULT_KUBERNETES_VERSION})
  --overlay ENV              with PATHs: the input is overlays/ENV rendered (e.g. on stdin): its profile is the
                             default and the exemptions scoped to ENV in policy/config.yaml apply, as in npm run
                             check (without it explicit input has no overlay: overlay-scoped exemptions never
                             apply). Without PATHs: check only overlays/ENV
  --config FILE              exemptions, severity and parameter changes, template rules (default policy/config.yaml)
  --strict-input             a file in a directory that is not Kubernetes manifests fails the run
                             (default: reported on stderr and skipped)
  -h, --help                 this text

Exit codes: 0 no unexempted error, 1 an unexempted error finding, 2 usage, unreadable input or no objects in it.`;

const FORMATS = ["text", "json", "sarif"] as const;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const { values, positionals } = parseCli(
    argv,
    {
      output: { type: "string", short: "o", default: "text" },
      profile: { type: "string" },
      "kubernetes-version": { type: "string" },
      config: { type: "string" },
      overlay: { type: "string" },
      "strict-input": { type: "boolean" },
    },
    USAGE,
  );
  const output = values.output as string;
  if (!(FORMATS as readonly string[]).includes(output)) throw new UsageError(`unknown --output "${output}"`, { expected: FORMATS.join(", ") });
  const reports = await runPolicy({
    paths: positionals,
    profile: values.profile as string | undefined,
    kubernetesVersion: values["kubernetes-version"] as string | undefined,
    configFile: values.config as string | undefined,
    overlay: values.overlay as string | undefined,
    strictInput: Boolean(values["strict-input"]),
    onSkip: (file, reason) => io.stderr(`warning: skipped ${file}: ${reason}\n`),
  });
  const text =
    output === "json" ? renderJson(reports) : output === "sarif" ? renderSarif(reports, [...RULES, ...loadPolicyConfig(values.config as string | undefined).rules], SARIF_OPTIONS) : renderText(reports, { colour: useColour() });
  io.stdout(text);
  return reports.some((r) => hasBlockingFindings(r.findings)) ? EXIT.findings : EXIT.clean;
}

if (import.meta.main) await runMain(main);
