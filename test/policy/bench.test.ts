// The benchmark's corpus builder: copies land in their own namespaces (cluster-scoped objects renamed),
// so cross-object rules see per-namespace sets. Timing thresholds live in `npm run bench`, not here.
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { parseManifests } from "@mcp-stack/policy-engine";
import { benchPolicy, buildCorpus } from "../../policy/bench.ts";
import { gatewaySet, goodSet } from "./fixtures.ts";

describe("benchPolicy", () => {
  const text = [...goodSet(), ...gatewaySet()].map((o) => stringify(o)).join("---\n");

  it("builds a corpus of renamed copies in shared namespaces", () => {
    const objects = parseManifests(buildCorpus([text], 500), "corpus.yaml").map((s) => s.object);
    expect(objects).toHaveLength(500);
    const namespaces = new Set(objects.map((o) => o.metadata?.namespace).filter(Boolean));
    expect(namespaces.size).toBeGreaterThan(1);
    const keys = objects.map((o) => `${String(o.kind)}/${String(o.metadata?.namespace ?? "")}/${String(o.metadata?.name)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  // The benchmark's 10,000 resources are npm run bench's to measure; here the same path on 2,000.
  it("evaluates a corpus of the requested size and reports both phases", () => {
    const r = benchPolicy([text], { count: 2_000 });
    expect(r.resources).toBe(2_000);
    expect(r.parseMs).toBeGreaterThan(0);
    expect(r.evaluateMs).toBeGreaterThan(0);
  });
});
