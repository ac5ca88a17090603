// The fleet benchmark (npm run bench -- --only fleet): a copy of this repository whose eks environment runs in N
// clusters, timed as a pull request would run it: generate, the full gate, and the gate with one cluster's entry
// changed (check --changed HEAD), each as a fresh process, against a plain `kustomize build | kubeconform -strict`
// loop over the same overlays when a kubeconform binary is found ($KUBECONFORM or PATH).
import { parse, stringify } from "yaml";
import { executablePath } from "../lib/child.ts";
import { kustomizeTool } from "../lib/kustomize-tool.ts";
import { REPO_ROOT } from "../lib/paths.ts";
import { DEFAULT_KUBERNETES_VERSION } from "../validate/defaults.ts";
const { execFileSync, spawnSync } = process.getBuiltinModule("node:child_process");
const fs = process.getBuiltinModule("node:fs");
const os = process.getBuiltinModule("node:os");
const path = process.getBuiltinModule("node:path");

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, stdio: ["ignore", "pipe", "pipe"] });

export function fleetClusters(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const name = i === 0 ? "canary-1" : `prod-${String(i).padStart(3, "0")}`;
    return {
      name,
      stage: i === 0 ? "canary" : "production",
      destination: { name: `eks-${name}` },
      host: `${name}.mcp.example.com`,
      region: i % 2 ? "eu-west-1" : "us-east-1",
      gatewayRoleArn: `arn:aws:iam::123456789012:role/mcp-gateway-${name}`,
      backupRoleArn: `arn:aws:iam::123456789012:role/mcp-backup-${name}`,
      secretStorePrefix: `mcp-stack/eks/${name}`,
      backup: { prefix: `${name}/postgres` },
    };
  });
}

function timed(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): { ms: number; code: number } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: "ignore" });
  return { ms: performance.now() - t, code: r.status ?? 1 };
}

export function kubeconformBinary(): string | undefined {
  return (process.env.KUBECONFORM && executablePath(process.env.KUBECONFORM)) || executablePath("kubeconform");
}

/**
 * What a pull-request gate without this project runs: `kustomize build DIR | kubeconform -strict` for each target,
 * one after another, on the repository's shipped schemas (kustomize has no cache there: cold and warm are alike).
 */
export async function plainLoop(root: string, dirs: string[], kubeconform: string): Promise<{ ms: number; code: number }> {
  const { cmd: bin, args: kargs } = kustomizeTool();
  const locations = ["-schema-location", `${root}/schemas/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`, "-schema-location", `${root}/schemas/crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`];
  const script = `set -e; for d in ${dirs.map((d) => `'${d}'`).join(" ")}; do "${bin}" ${kargs.join(" ")} "$d" | "${kubeconform}" -strict -summary -kubernetes-version ${DEFAULT_KUBERNETES_VERSION} ${locations.map((l) => `'${l}'`).join(" ")} - >/dev/null; done`;
  return timed("bash", ["-c", script], { cwd: root });
}

const row = (name: string, ms: number, note = "") => `${name.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms  ${note}`;

export async function benchFleet(n: number): Promise<string[]> {
  const out: string[] = [];
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-stack-fleet-"));
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-stack-fleet-cache-"));
  const env = { MCP_STACK_KUSTOMIZE_CACHE_DIR: cache };
  const node = (script: string, ...args: string[]) => timed(process.execPath, [path.join(REPO_ROOT, "scripts", script), ...args], { env });
  try {
    git(REPO_ROOT, "clone", "-q", "--shared", REPO_ROOT, copy);
    const file = path.join(copy, "overlays/eks/settings.yaml");
    const settings = parse(fs.readFileSync(file, "utf8"));
    const clusters = fleetClusters(n);
    // The store holds every cluster's keys (else the deployability analysis rightly stops each first sync).
    const keys = clusters.flatMap((c) => ["mcp-gateway-credentials", "postgres-credentials", "redis-credentials"].map((k) => `${c.secretStorePrefix}/${k}`));
    const cluster = { ...settings.cluster, remoteSecrets: [...(settings.cluster?.remoteSecrets ?? []), ...keys] };
    fs.writeFileSync(file, stringify({ ...settings, cluster, clusters }));

    const gen = node("generate.ts", "--root", copy);
    if (gen.code !== 0) throw new Error(`generate of the ${n}-cluster copy exited ${gen.code}`);
    out.push(row(`fleet: generate, ${n} clusters (fresh process)`, gen.ms, "kustomize cache cold"));
    git(copy, "add", "-A");
    git(copy, "-c", "user.email=bench@example.com", "-c", "user.name=bench", "commit", "-qm", "fleet");
    fs.rmSync(cache, { recursive: true, force: true });
    const cold = node("check.ts", "--root", copy);
    out.push(row(`fleet: full gate, ${n} clusters + 4 overlays + root`, cold.ms, `kustomize cache cold (generate memo warm from the generate above), ${cold.code === 0 ? "passed" : "FAILED"}`));
    const warm = node("check.ts", "--root", copy);
    out.push(row(`fleet: full gate again`, warm.ms, "cache warm"));

    const edited = parse(fs.readFileSync(file, "utf8"));
    edited.clusters[Math.min(7, n - 1)].host = "moved.mcp.example.com";
    fs.writeFileSync(file, stringify(edited));
    node("generate.ts", "--root", copy);
    const changed = node("check.ts", "--root", copy, "--changed", "HEAD");
    out.push(row(`fleet: gate with one cluster changed (--changed)`, changed.ms, changed.code === 0 ? "passed" : "FAILED"));

    const kubeconform = kubeconformBinary();
    if (!kubeconform) {
      out.push("fleet: kubeconform not found ($KUBECONFORM or PATH): no plain-loop comparison");
      return out;
    }
    const dirs = [
      ...fs.readdirSync(path.join(copy, "overlays")).map((e) => `overlays/${e}`),
      ...fs.readdirSync(path.join(copy, "clusters/eks")).map((c) => `clusters/eks/${c}`),
      ".",
    ];
    const loop = await plainLoop(copy, dirs, kubeconform);
    out.push(row(`fleet: plain kustomize | kubeconform -strict loop`, loop.ms, `${dirs.length} targets${loop.code === 0 ? "" : ", FAILED"}`));
    out.push(`fleet: ratios to the plain loop: full gate ${(cold.ms / loop.ms).toFixed(2)} (cold) / ${(warm.ms / loop.ms).toFixed(2)} (warm), changed-only ${(changed.ms / loop.ms).toFixed(2)}`);
    return out;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  }
}
