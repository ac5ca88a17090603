// npm run policy -- [--output text|json|sarif] [--profile NAME] [--kubernetes-version V] [--config FILE] [PATH|-]...
import { EXIT, parseCli, runMain, UsageError, useColour } from "./lib/cli.ts";
import { DEFAULT_KUBERNETES_VERSION, hasBlockingFindings, RULES } from "../policy/engine.ts";
import { PROFILES, STRICTEST_PROFILE } from "../policy/profiles.ts";
import { renderJson } from "../policy/report/json.ts";
import { renderSarif } from "../policy/report/sarif.ts";
import { renderText } from "../policy/report/text.ts";
import { runPolicy } from "../policy/run.ts";

const USAGE = `Usage: npm run policy -- [options] [PATH|-]...

Checks rendered manifests against the project's policy rules (${RULES.length} rules).
With no PATH, every overlay is rendered with kustomize and checked under the profile its settings name.
With PATHs (files, directories, - for stdin), the ${STRICTEST_PROFILE} profile applies unless --profile is given.

Options:
  --output text|json|sarif   report format (default text)
  --profile NAME             ${Object.keys(PROFILES).join(" | ")}
  --kubernetes-version V     target version for API deprecations (default ${DEFAULT_KUBERNETES_VERSION})
  --config FILE              exemptions and severity changes (default policy/config.yaml)
  -h, --help                 this text

Exit codes: 0 no unexempted error, 1 an unexempted error finding, 2 usage or unreadable input.`;

const FORMATS = ["text", "json", "sarif"] as const;

runMain(async () => {
  const { values, positionals } = parseCli(
    process.argv.slice(2),
    {
      output: { type: "string", short: "o", default: "text" },
      profile: { type: "string" },
      "kubernetes-version": { type: "string" },
      config: { type: "string" },
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
  });
  const text =
    output === "json" ? renderJson(reports) : output === "sarif" ? renderSarif(reports, RULES) : renderText(reports, { colour: useColour() });
  process.stdout.write(text);
  return reports.some((r) => hasBlockingFindings(r.findings)) ? EXIT.findings : EXIT.clean;
});
