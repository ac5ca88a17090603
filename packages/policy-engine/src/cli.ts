// kube-policy: the engine's own command line, usable on any manifests. main() takes argv and an io
// object and returns the exit code (0 no unexempted error, 1 an unexempted error, 2 usage or bad input).
import { createEngine, DEFAULT_KUBERNETES_VERSION, hasBlockingFindings, parseKubernetesVersion, type PolicyPlugin } from "./engine.ts";
import { PolicyInputError, PolicyUsageError } from "./errors.ts";
import { readManifests } from "./input.ts";
import { STRICTEST_PROFILE } from "./profiles.ts";
import { renderJson } from "./report/json.ts";
import { renderSarif } from "./report/sarif.ts";
import { renderText } from "./report/text.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const { pathToFileURL } = process.getBuiltinModule("node:url");
const { parseArgs } = process.getBuiltinModule("node:util");

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin?: () => string;
  colour?: boolean;
}

const USAGE = `Usage: kube-policy [options] PATH|-...

Checks Kubernetes manifests (files, directories, - for stdin) against the policy rules.

Options:
  --output text|json|sarif   report format (default text)
  --profile NAME             severity profile (default ${STRICTEST_PROFILE})
  --kubernetes-version V     target version for API deprecations (default ${DEFAULT_KUBERNETES_VERSION})
  --config FILE              exemptions, severities, parameters and template rules (YAML)
  --plugin MODULE            a module whose default export is a plugin (rules, overrides, profiles); repeatable
  --strict-input             a file that is not Kubernetes manifests fails the run (default: reported and skipped)
  -h, --help                 this text

Exit codes: 0 no unexempted error, 1 an unexempted error finding, 2 usage or unreadable input.`;

const FORMATS = ["text", "json", "sarif"];

async function loadPlugin(spec: string): Promise<PolicyPlugin> {
  const url = fs.existsSync(spec) ? pathToFileURL(path.resolve(spec)).href : spec;
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (err) {
    throw new PolicyInputError(`cannot load plugin: ${(err as Error).message.split("\n")[0]}`, { file: spec });
  }
  const plugin = mod.default as PolicyPlugin | undefined;
  if (!plugin || typeof plugin !== "object" || typeof plugin.name !== "string") {
    throw new PolicyInputError("not a policy plugin", { file: spec, expected: "a default export { name, rules?, overrides?, profiles? }" });
  }
  return plugin;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        options: {
          output: { type: "string", short: "o", default: "text" },
          profile: { type: "string" },
          "kubernetes-version": { type: "string" },
          config: { type: "string" },
          plugin: { type: "string", multiple: true },
          "strict-input": { type: "boolean" },
          help: { type: "boolean", short: "h" },
        },
        allowPositionals: true,
        strict: true,
      });
    } catch (err) {
      throw new PolicyUsageError(`${(err as Error).message}\n\n${USAGE}`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout(USAGE + "\n");
      return 0;
    }
    if (!FORMATS.includes(values.output)) throw new PolicyUsageError(`unknown --output "${values.output}"`, { expected: FORMATS.join(", ") });
    if (positionals.length === 0) throw new PolicyUsageError("no input", { expected: "PATH... or - for stdin" });
    const plugins = await Promise.all((values.plugin ?? []).map(loadPlugin));
    const engine = createEngine({ plugins });
    const profile = engine.getProfile(values.profile ?? STRICTEST_PROFILE);
    if (values["kubernetes-version"]) parseKubernetesVersion(values["kubernetes-version"]);
    const config = values.config ? engine.loadConfig(values.config) : undefined;
    const skipped: string[] = [];
    const objects = readManifests(positionals, io.readStdin, {
      strict: values["strict-input"] ?? false,
      onSkip: (file, reason) => skipped.push(`${file}: ${reason}`),
    });
    for (const s of skipped) io.stderr(`warning: skipped ${s}\n`);
    const report = engine.evaluate(objects, { profile, kubernetesVersion: values["kubernetes-version"], config });
    const out =
      values.output === "json" ? renderJson([report]) : values.output === "sarif" ? renderSarif([report], [...engine.rules, ...(config?.rules ?? [])]) : renderText([report], { colour: io.colour ?? false });
    io.stdout(out);
    return hasBlockingFindings(report.findings) ? 1 : 0;
  } catch (err) {
    if (err instanceof PolicyInputError) {
      io.stderr(`error: ${err.format()}\n`);
      return 2;
    }
    io.stderr(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}
