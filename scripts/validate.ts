// npm run validate: kubeconform-compatible schema validation, offline and in-process.
import { EXIT, runMain } from "./lib/cli.ts";
import { parseValidateArgs } from "./validate/cli-options.ts";
import { validateOverlays, validatePaths } from "./validate/engine.ts";
import { validateWithKubeconform } from "./validate/kubeconform.ts";
import { formatReport } from "./validate/outputs.ts";
import { hasFailures } from "./validate/types.ts";

await runMain(async () => {
  const started = performance.now();
  const request = parseValidateArgs(process.argv.slice(2));
  const report =
    request.engine === "kubeconform"
      ? await validateWithKubeconform(request)
      : request.paths.length > 0
        ? await validatePaths(request.paths, request.options, request.ignoreFilenamePatterns)
        : await validateOverlays(request.options);
  for (const notice of report.notices) process.stderr.write(`note: ${notice}\n`);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(formatReport(report, request.output, { summary: request.summary, verbose: request.verbose, seconds }));
  return hasFailures(report) ? EXIT.findings : EXIT.clean;
});
