// `validate -engine kubeconform`: the same command line run by a real kubeconform binary (PATH or
// $KUBECONFORM), with the project's defaults added (schema locations, Kubernetes version) and
// -overlays rendered to temporary files first. Its output and exit code are passed through.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_KUBERNETES_VERSION, projectSchemaLocations } from "./engine.ts";

export function kubeconformBinary(): string {
  return process.env.KUBECONFORM || "kubeconform";
}

/** Our command line as kubeconform's: project flags out, project defaults in. */
export function kubeconformArgs(argv: readonly string[]): { args: string[]; overlays: boolean } {
  const flags: string[] = [];
  let rest: string[] = [];
  let overlays = false;
  let hasLocation = false;
  let hasVersion = false;
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
    if (name === "schema-location") hasLocation = true;
    if (name === "kubernetes-version") hasVersion = true;
    flags.push(arg);
    const takesValue = ["schema-location", "kubernetes-version", "skip", "reject", "output", "n", "cache", "ignore-filename-pattern"].includes(name);
    if (takesValue && !arg.includes("=") && i + 1 < argv.length) flags.push(argv[++i]!);
  }
  const defaults: string[] = [];
  if (!hasLocation) for (const location of projectSchemaLocations()) defaults.push("-schema-location", location);
  if (!hasVersion) defaults.push("-kubernetes-version", DEFAULT_KUBERNETES_VERSION);
  return { args: [...defaults, ...flags, ...rest], overlays };
}

/** Runs the binary; with `io` (in-process callers) its output is captured and handed over, else it is inherited. */
export async function runKubeconform(argv: readonly string[], io?: { stdout: (text: string) => void; stderr: (text: string) => void }): Promise<number> {
  const { args, overlays } = kubeconformArgs(argv);
  const binary = kubeconformBinary();
  let dir: string | undefined;
  try {
    if (overlays) {
      const { renderedOverlays } = await import("./overlays.ts");
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-validate-"));
      for (const overlay of await renderedOverlays()) {
        fs.writeFileSync(path.join(dir, `${path.basename(overlay.filename)}.yaml`), overlay.content);
      }
      args.push(dir);
    }
    const run = io
      ? spawnSync(binary, args, { stdio: ["inherit", "pipe", "pipe"], encoding: "utf8", maxBuffer: 1 << 30 })
      : spawnSync(binary, args, { stdio: "inherit" });
    if (io && typeof run.stdout === "string") io.stdout(run.stdout);
    if (io && typeof run.stderr === "string") io.stderr(run.stderr);
    if (run.error) {
      const missing = (run.error as NodeJS.ErrnoException).code === "ENOENT";
      const message = missing ? `cannot run ${binary}: not installed (put kubeconform on PATH or set KUBECONFORM)\n` : `cannot run ${binary}: ${run.error.message}\n`;
      if (io) io.stderr(message);
      else process.stderr.write(message);
      return 1;
    }
    return run.status ?? 1;
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}
