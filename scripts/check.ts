// `npm run check`: everything a pull request needs, in one process (scripts/check/gate.ts). Exit 1 on any failure.
// Node's module compile cache first (it covers what is loaded after it, type stripping included); the gate itself
// is imported only when it runs, so --help loads almost nothing.
const module = process.getBuiltinModule("node:module");
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const { pathToFileURL } = process.getBuiltinModule("node:url");

module.enableCompileCache?.();
const { EXIT, existingPath, InputError, outputFile, parseCli, runMain, useColour, processIo } = await import("./lib/cli.ts");
const { DEFAULT_KUBERNETES_VERSION } = await import("./validate/defaults.ts");
const { REPO_ROOT } = await import("./lib/paths.ts");
type Io = import("./lib/cli.ts").Io;

const USAGE = `Usage: npm run check -- [--changed REF] [--json FILE] [--sarif FILE] [--kubernetes-version X.Y.Z] [--schema-location LOC]...

The pull-request gate, in one process:
  1. generated files are up to date (npm run generate --check; every stale file is named)
  2. every overlays/<env>, every cluster overlay clusters/<env>/<cluster> and the root kustomization
     (Argo CD objects) render with kustomize
  3. every object validates against the shipped schemas in schemas/ and the API server's semantic
     rules (npm run validate -- --semantic)
  4. every object passes the policy rules under its overlay's profile (npm run policy)

  --changed REF               check only the targets whose inputs changed since the git ref REF (the pull
                              request's base); the others are reported unchanged. A change to anything shared
                              (base, components, scripts, policy, schemas, packages) checks everything
  --root DIR                  check the repository at DIR instead of this one
  --json FILE                 write the full result as JSON
  --sarif FILE                write policy findings, schema failures and stale files as SARIF 2.1.0
  --kubernetes-version X.Y.Z  target Kubernetes version (default ${DEFAULT_KUBERNETES_VERSION})
  --schema-location LOC       read schemas there instead of schemas/ (repeatable, as for npm run validate);
                              MCP_STACK_SCHEMAS=DIR replaces schemas/ with a folder of the same layout
  -h, --help                  this text

Exit codes: 0 all clean, 1 stale generated files, render failures, invalid objects or unexempted
error findings, 2 bad settings or usage.`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const { values, positionals } = parseCli(
    argv,
    { json: { type: "string" }, sarif: { type: "string" }, "kubernetes-version": { type: "string" }, "schema-location": { type: "string", multiple: true }, changed: { type: "string" }, root: { type: "string" } },
    USAGE,
  );
  if (positionals.length) throw new InputError(`unexpected argument: ${positionals[0]}`, { expected: "options only (see --help)" });
  // Bad paths fail before the gate runs (minutes on a fleet), not after it.
  if (values.root) existingPath(values.root, "--root", "directory");
  for (const flag of ["json", "sarif"] as const) if (values[flag]) outputFile(values[flag], `--${flag}`);
  // Every target's kustomize build starts now, while the gate's modules and the settings load (check/prefetch.ts);
  // the gate joins them, and stops any it does not use.
  if (values.changed === undefined) (await import("./check/prefetch.ts")).startBuilds(path.resolve(values.root ?? REPO_ROOT));
  const { formatReport, formatSarif, runGate } = await import("./check/gate.ts");
  const result = await runGate({ ...(values.root ? { root: values.root } : {}), kubernetesVersion: values["kubernetes-version"], schemaLocations: values["schema-location"], ...(values.changed !== undefined ? { changed: values.changed } : {}) });
  io.stdout(formatReport(result, { colour: useColour() }));
  if (values.json) {
    fs.writeFileSync(values.json, JSON.stringify(result, null, 2) + "\n");
    io.stderr(`wrote ${values.json}\n`);
  }
  if (values.sarif) {
    fs.writeFileSync(values.sarif, formatSarif(result));
    io.stderr(`wrote ${values.sarif}\n`);
  }
  return result.ok ? EXIT.clean : EXIT.findings;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(main);
