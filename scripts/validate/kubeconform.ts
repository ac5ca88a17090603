// `validate -engine kubeconform`: the same command line run by a real kubeconform binary (PATH or
// $KUBECONFORM), with the project's defaults added (schema locations, Kubernetes version) and
// -overlays rendered to temporary files first. Its output and exit code are passed through.
import jsyaml from "js-yaml";
import { DEFAULT_KUBERNETES_VERSION, projectSchemaLocations } from "./engine.ts";
import { semanticProblems } from "./semantic/objects.ts";
import { scratchFolder } from "../lib/cleanup.ts";
import { boundToParent, executablePath, notFoundThroughWrapper } from "../lib/child.ts";
const { spawnSync } = process.getBuiltinModule("node:child_process");
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

export function kubeconformBinary(): string {
  return process.env.KUBECONFORM || "kubeconform";
}

/** Our command line as kubeconform's: project flags out, project defaults in. */
export function kubeconformArgs(argv: readonly string[]): { args: string[]; overlays: boolean; semantic: boolean; output: string; paths: string[] } {
  const flags: string[] = [];
  let rest: string[] = [];
  let overlays = false;
  let semantic = false;
  let output = "text";
  let hasLocation = false;
  let hasVersion = false;
  let hasStrict = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--" || !arg.startsWith("-") || arg === "-") {
      rest = argv.slice(i);
      break;
    }
    const name = /^--?([^=]+)/.exec(arg)?.[1] ?? "";
    if (name === "engine") {
      if (!arg.includes("=")) i++;
      continue;
    }
    if (name === "overlays") {
      overlays = !/=(false|0|f|F|FALSE|False)$/.test(arg);
      continue;
    }
    // The project's API-server rules: kubeconform has no such flag, they run here after it (runKubeconform).
    if (name === "semantic") {
      semantic = !/=(false|0|f|F|FALSE|False)$/.test(arg);
      continue;
    }
    if (name === "output") output = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : (argv[i + 1] ?? "text");
    if (name === "schema-location") hasLocation = true;
    if (name === "kubernetes-version") hasVersion = true;
    if (name === "strict") hasStrict = true;
    flags.push(arg);
    const takesValue = ["schema-location", "kubernetes-version", "skip", "reject", "output", "n", "cache", "ignore-filename-pattern"].includes(name);
    if (takesValue && !arg.includes("=") && i + 1 < argv.length) flags.push(argv[++i]!);
  }
  const defaults: string[] = [];
  if (!hasLocation) for (const location of projectSchemaLocations()) defaults.push("-schema-location", location);
  if (!hasVersion) defaults.push("-kubernetes-version", DEFAULT_KUBERNETES_VERSION);
  // As the builtin engine: the shipped folder holds the strict schemas only.
  if (!hasStrict) defaults.push("-strict");
  return { args: [...defaults, ...flags, ...rest], overlays, semantic, output, paths: rest.filter((r) => r !== "--") };
}

/** Every file kubeconform would read under `paths` (directories recursively: .yaml, .yml, .json). */
function inputFiles(paths: string[]): string[] {
  return paths.flatMap((p) => {
    if (p === "-") return [];
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return [];
    if (!st.isDirectory()) return [p];
    return fs.readdirSync(p).sort().flatMap((f) => {
      const full = path.join(p, f);
      return fs.statSync(full).isDirectory() ? inputFiles([full]) : /\.(ya?ml|json)$/.test(f) ? [full] : [];
    });
  });
}

/** The API-server rules on the same inputs, as kubeconform's text lines; the number of objects they refuse. */
function semanticLines(inputs: { file: string; text: string }[]): string[] {
  const lines: string[] = [];
  for (const { file, text } of inputs) {
    let docs: unknown[];
    try {
      docs = jsyaml.loadAll(text);
    } catch {
      continue; // kubeconform has reported the syntax error
    }
    for (const doc of docs.flatMap((d) => ((d as { kind?: unknown; items?: unknown[] })?.kind === "List" ? ((d as { items?: unknown[] }).items ?? []) : [d]))) {
      const problems = semanticProblems(doc);
      if (!problems.length) continue;
      const o = doc as { kind?: string; metadata?: { name?: string } };
      lines.push(`${file} - ${o.kind} ${o.metadata?.name ?? ""} is invalid: ${problems.map((p) => `${p.path}: ${p.message} (rule ${p.rule})`).join("; ")}`);
    }
  }
  return lines;
}

/** Runs the binary; with `io` (in-process callers) its output is captured and handed over, else it is inherited. */
export async function runKubeconform(argv: readonly string[], io?: { stdout: (text: string) => void; stderr: (text: string) => void }): Promise<number> {
  const { args, overlays, semantic, output, paths } = kubeconformArgs(argv);
  const binary = kubeconformBinary();
  const out = io ?? { stdout: (t: string) => void process.stdout.write(t), stderr: (t: string) => void process.stderr.write(t) };
  if (semantic && output !== "text") {
    out.stderr(
      `-semantic with -engine kubeconform adds the API server's rules as text lines after kubeconform's own, so it needs -output text (not ${output}); for ${output} output use the builtin engine: npm run validate -- -semantic -output ${output} ...\n`,
    );
    return 1;
  }
  let dir: string | undefined;
  let scratch: { release(): void } | undefined;
  const shownAs = new Map<string, string>();
  try {
    if (overlays) {
      const { renderedOverlays } = await import("./overlays.ts");
      // Rendered overlays can hold local credentials: removed on every exit path (after a SIGKILL, by the next run).
      const made = scratchFolder("validate");
      scratch = made;
      dir = made.dir;
      for (const overlay of await renderedOverlays()) {
        const file = path.join(dir, `${path.basename(overlay.filename)}.yaml`);
        fs.writeFileSync(file, overlay.content);
        shownAs.set(file, overlay.filename);
      }
      args.push(dir);
    }
    // With -semantic the inputs are read here too: standard input is read first and handed to kubeconform.
    const stdin = semantic && !overlays && (paths.length === 0 || paths.includes("-")) ? fs.readFileSync(0, "utf8") : undefined;
    const input = stdin === undefined ? {} : { input: stdin };
    // kubeconform dies with this process, even after a SIGKILL of it (child.ts); a binary that is not there is
    // found out before the start, since through the wrapper its absence is only an exit status.
    const child = executablePath(binary) ? boundToParent(binary, args) : { cmd: binary, args };
    const run = io
      ? spawnSync(child.cmd, child.args, { stdio: [stdin === undefined ? "inherit" : "pipe", "pipe", "pipe"], encoding: "utf8", maxBuffer: 1 << 30, ...input })
      : spawnSync(child.cmd, child.args, { stdio: [stdin === undefined ? "inherit" : "pipe", "inherit", "inherit"], ...input });
    if (io && typeof run.stdout === "string") io.stdout(run.stdout);
    if (io && typeof run.stderr === "string") io.stderr(run.stderr);
    if (run.error || notFoundThroughWrapper(run.status, typeof run.stderr === "string" ? run.stderr : "")) {
      const missing = !run.error || (run.error as NodeJS.ErrnoException).code === "ENOENT";
      const message = missing ? `cannot run ${binary}: not installed (put kubeconform on PATH or set KUBECONFORM)\n` : `cannot run ${binary}: ${run.error!.message}\n`;
      if (io) io.stderr(message);
      else process.stderr.write(message);
      return 1;
    }
    if (!semantic) return run.status ?? 1;
    const files = inputFiles(dir ? [dir] : paths);
    const lines = semanticLines([...(stdin !== undefined ? [{ file: "stdin", text: stdin }] : []), ...files.map((f) => ({ file: shownAs.get(f) ?? f, text: fs.readFileSync(f, "utf8") }))]);
    if (lines.length) out.stdout(`${lines.join("\n")}\nSemantic: ${lines.length} object(s) the API server would refuse\n`);
    return lines.length ? 1 : (run.status ?? 1);
  } finally {
    scratch?.release();
  }
}
