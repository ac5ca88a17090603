// `npm run generate`: renders the typed model into base/, components/, overlays/<env>/ and the root Argo CD
// kustomization; `--check` writes nothing and exits 1 listing every file that differs, is missing or stale.
// Node's module compile cache first (it covers what is loaded after it, type stripping included).
const module = process.getBuiltinModule("node:module");
const path = process.getBuiltinModule("node:path");
const { pathToFileURL } = process.getBuiltinModule("node:url");

module.enableCompileCache?.();
const { EXIT, existingPath, parseCli, runMain, UsageError, processIo } = await import("./lib/cli.ts");
const { localSecretNames, rotationWarning } = await import("./lib/local-credentials.ts");
const { withLock } = await import("./lib/lock.ts");
const { REPO_ROOT } = await import("./lib/paths.ts");
const { generate } = await import("./generate/run.ts");
type Io = import("./lib/cli.ts").Io;

const USAGE = `Usage: npm run generate -- [--check] [--root DIR] [--rotate-credentials NAME]...

Renders base/, components/, every overlays/<env>/ (from its settings.yaml), the root kustomization
(Argo CD objects), settings.schema.json and the README settings table.

  --check      write nothing; exit 1 listing every file that differs, is missing or is stale
  --root DIR   repository root to work on (default: this repository)
  --rotate-credentials NAME
               re-create the local credentials file NAME (a Secret such as mcp-gateway-credentials, in every
               local environment, or ENV/NAME for one); says what stops working. Without it an existing
               credentials file is never changed: a missing or empty key stops generate (exit 2).
  -h, --help   this text

Exit codes: 0 up to date / written, 1 drift (--check), 2 bad settings or usage.`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const { values } = parseCli(
    argv,
    { check: { type: "boolean" }, root: { type: "string" }, "rotate-credentials": { type: "string", multiple: true } },
    USAGE,
  );
  const root = path.resolve(values.root === undefined ? REPO_ROOT : existingPath(values.root, "--root", "directory"));
  const rotate = values["rotate-credentials"] ?? [];
  if (rotate.length && values.check) throw new UsageError("--rotate-credentials writes credentials: it cannot be combined with --check");
  for (const name of rotate) {
    if (!localSecretNames().includes(name.split("/").at(-1)!) || name.split("/").length > 2) {
      throw new UsageError(`--rotate-credentials ${name}: no such local credentials file`, { expected: `one of ${localSecretNames().join(", ")} (or ENV/NAME)` });
    }
  }
  // Two writers at once would race on the same files: the second waits (or exits 2 saying who holds the lock).
  const run = () => generate(root, { check: Boolean(values.check), rotateCredentials: rotate });
  const { plan, drift, credentials, warnings } = values.check ? await run() : await withLock(root, "npm run generate", run);
  for (const w of warnings) io.stderr(`warning: ${w.file}: ${w.message}\n`);
  const lines = [
    ...drift.changed.map((f) => `${values.check ? "differs" : "updated"}: ${f}`),
    ...drift.missing.map((f) => `${values.check ? "missing" : "created"}: ${f}`),
    ...drift.stale.map((f) => `${values.check ? "stale" : "removed"}: ${f}`),
  ];
  const total = drift.changed.length + drift.missing.length + drift.stale.length;
  if (values.check) {
    if (total) {
      io.stdout(lines.join("\n") + `\n${total} generated file(s) out of date: run \`npm run generate\`\n`);
      return EXIT.findings;
    }
    io.stdout(`generated files up to date (${plan.size} files)\n`);
    return EXIT.clean;
  }
  for (const name of rotate) {
    for (const line of rotationWarning(name.split("/").at(-1)!)) lines.push(`rotated ${name}: ${line.slice(line.indexOf(": ") + 2)} (stops working with the old value)`);
  }
  for (const c of credentials) {
    lines.push(`${c.action === "created" ? "created local credentials" : "added missing keys to local credentials"}: ${c.file} (git-ignored, mode 0600, never overwritten)`);
  }
  io.stdout((lines.length ? lines.join("\n") + "\n" : "") + `${plan.size} generated files, ${total} changed\n`);
  return EXIT.clean;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(main);
