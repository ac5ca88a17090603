// Times the policy over a 10,000-resource corpus built by copying the given manifests: either into as many
// namespaces as needed (cluster-scoped objects get a suffix), or renamed (every name gets a suffix) in the
// namespaces they have, so one namespace holds thousands of objects and the cross-object rules must use
// their indexes rather than scan. Parsing and evaluation are timed separately and both are reported.
import { dump } from "js-yaml";
import { parseManifests, type K8sObject } from "@mcp-stack/policy-engine";
import { evaluate } from "./engine.ts";
const { readFileSync } = process.getBuiltinModule("node:fs");
const { performance } = process.getBuiltinModule("node:perf_hooks");
const { pathToFileURL } = process.getBuiltinModule("node:url");

export interface PolicyBench {
  resources: number;
  parseMs: number;
  evaluateMs: number;
  findings: number;
}

const CLUSTER_SCOPED = new Set(["Namespace", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass"]);

/** A multi-document YAML corpus of at least `count` resources made from the given YAML texts. */
export type CorpusLayout = "namespaces" | "shared";

export function buildCorpus(yamlTexts: readonly string[], count = 10_000, layout: CorpusLayout = "namespaces"): string {
  const templates = yamlTexts.flatMap((t, i) => parseManifests(t, `input-${i}`).map((s) => s.object));
  if (templates.length === 0) throw new Error("benchPolicy needs at least one manifest");
  const docs: string[] = [];
  for (let copy = 0; docs.length < count; copy++) {
    for (const template of templates) {
      if (docs.length >= count) break;
      const o = structuredClone(template) as K8sObject;
      o.metadata = { ...o.metadata };
      if (layout === "shared" || CLUSTER_SCOPED.has(String(o.kind))) o.metadata.name = `${String(o.metadata.name)}-${copy}`;
      else o.metadata.namespace = `bench-${copy}`;
      docs.push(dump(o, { noRefs: true, lineWidth: -1 }));
    }
  }
  return docs.join("---\n");
}

export function benchPolicy(yamlTexts: readonly string[], { count = 10_000, profile = "production", layout = "namespaces" as CorpusLayout } = {}): PolicyBench {
  const corpus = buildCorpus(yamlTexts, count, layout);
  const t0 = performance.now();
  const objects = parseManifests(corpus, "corpus.yaml");
  const t1 = performance.now();
  const report = evaluate(objects, { profile });
  const t2 = performance.now();
  return { resources: objects.length, parseMs: t1 - t0, evaluateMs: t2 - t1, findings: report.findings.length };
}

// `npx tsx policy/bench.ts [FILE...]`: the corpus from the given files, or from every rendered overlay.
async function main(): Promise<void> {
  const { loadEnvironments } = await import("../scripts/lib/overlays.ts");
  const { renderOverlays } = await import("../scripts/lib/render.ts");
  const files = process.argv.slice(2);
  const texts = files.length ? files.map((f) => readFileSync(f, "utf8")) : (await renderOverlays(loadEnvironments())).map((r) => r.yaml);
  for (const layout of ["namespaces", "shared"] as const) {
    const r = benchPolicy(texts, { layout });
    process.stdout.write(
      `policy (${layout}): ${r.resources} resources, parse ${r.parseMs.toFixed(0)} ms + evaluate ${r.evaluateMs.toFixed(0)} ms = ${(r.parseMs + r.evaluateMs).toFixed(0)} ms (${r.findings} findings)\n`,
    );
  }
}
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
