// npm run validate: kubeconform's command line (the @mcp-stack/validate package), with the project's
// defaults — schemas from the shipped folder first, then kubeconform's default location; Kubernetes
// 1.36.2 — and project flags: -overlays (render and validate every overlay instead of reading
// stdin), -fallback (kubernetes-models validators), -semantic (API-server rules) and -engine kubeconform
// (a real kubeconform binary). main(argv, io) runs it in-process (tests); run as a file, it is the entry point.
// Node's module compile cache first (it covers what is loaded after it): start-up halves on later runs.
import type { Embedding, Io } from "@mcp-stack/validate/cli";
const module = process.getBuiltinModule("node:module");
const { pathToFileURL } = process.getBuiltinModule("node:url");

module.enableCompileCache?.();
const { main: validate, processIo } = await import("@mcp-stack/validate/cli");
const { CACHE_DIR } = await import("./lib/paths.ts");
const { DEFAULT_KUBERNETES_VERSION, projectSchemaLocations } = await import("./validate/defaults.ts");

const embedding: Embedding = {
  progName: "npm run validate --",
  extraFlags: [
    { name: "engine", kind: "string", usage: "builtin, or kubeconform: run a kubeconform binary (PATH or $KUBECONFORM) with the same flags", defaultText: '"builtin"' },
    { name: "fallback", kind: "bool", usage: "validate with the kubernetes-models validators instead of schemas (unknown fields are not checked)" },
    { name: "overlays", kind: "bool", usage: "render every overlay with kustomize and validate it (instead of reading stdin when no path is given)" },
    { name: "semantic", kind: "bool", usage: "also apply the API server's semantic rules (names, labels, images, CIDRs, ports, quantities, cron\nschedules, time zones); off by default, so the verdicts stay kubeconform's" },
  ],
  extraUsage:
    `\nProject defaults: -kubernetes-version ${DEFAULT_KUBERNETES_VERSION}, -strict; with no -schema-location, the shipped schema folder\n` +
    "(Kubernetes kinds, then its CRD catalogue), then kubeconform's default location. Exit codes as kubeconform: 0 all\n" +
    "valid, 1 anything invalid, any error or a usage error.\n",
  defaultSchemaLocations: projectSchemaLocations(),
  cacheDir: CACHE_DIR,
  async configure(config) {
    if (!config.set.has("kubernetes-version")) config.kubernetesVersion = DEFAULT_KUBERNETES_VERSION;
    // The shipped folder holds the strict schemas only: strict unless -strict=false is given.
    if (!config.set.has("strict")) config.strict = true;
    const notices: string[] = [];
    const setup: Awaited<ReturnType<NonNullable<Embedding["configure"]>>> & object = { notices };
    if (config.extra.overlays?.at(-1) === "true") {
      const { renderedOverlays } = await import("./validate/overlays.ts");
      setup.documents = await renderedOverlays();
    }
    if (config.extra.fallback?.at(-1) === "true") {
      const { kubernetesModels, FALLBACK_NOTICE } = await import("./validate/fallback.ts");
      setup.fallback = kubernetesModels;
      notices.push(FALLBACK_NOTICE);
    }
    if (config.extra.semantic?.at(-1) === "true") {
      const { addSemanticProblems } = await import("./validate/semantic/report.ts");
      setup.options = { annotate: addSemanticProblems };
    }
    return setup;
  },
};

/**
 * The command: exit 0 all valid, 1 anything invalid or an error (kubeconform's contract). `io` defaults to the
 * process's streams; `cacheDir` replaces the compiled-validator cache ($MCP_STACK_CACHE or .cache/) for in-process callers.
 */
export async function main(argv: readonly string[], io?: Io, opts: { cacheDir?: string } = {}): Promise<number> {
  if (engineOf(argv) === "kubeconform") {
    const { runKubeconform } = await import("./validate/kubeconform.ts");
    return runKubeconform(argv, io);
  }
  return validate(argv, io ?? processIo(), opts.cacheDir ? { ...embedding, cacheDir: opts.cacheDir } : embedding);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.exitCode = await main(process.argv.slice(2));

function engineOf(args: readonly string[]): string | undefined {
  let engine: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const m = /^--?engine(?:=(.*))?$/.exec(args[i]!);
    if (m) engine = m[1] ?? args[++i];
    else if (!args[i]!.startsWith("-")) break;
  }
  return engine;
}
