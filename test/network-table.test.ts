// Who may talk to whom is one table (scripts/stack/network.ts FLOWS): every rule of every rendered NetworkPolicy is
// one of its rows, and every row that exists in the settings is a rule on both of its ends.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadEnvironments } from "../scripts/lib/overlays.ts";
import { defaultSettings } from "../scripts/settings/load.ts";
import type { Settings } from "../scripts/settings/schema.ts";
import { buildStack, withAllComponents } from "../scripts/stack/index.ts";
import { admittingPolicyName, FLOWS, flowsIn, portsOf, type Flow } from "../scripts/stack/network.ts";
import { plain } from "../scripts/generate/emit.ts";
import { REPO_ROOT } from "./helpers/repo.ts";
import { analyseEnvironment } from "../scripts/deployability/run.ts";
import { toYaml } from "../scripts/lib/yaml.ts";

type Any = Record<string, any>;
const APP = "app.kubernetes.io/name";
const variants: [string, Settings][] = [
  ["every Component", withAllComponents(defaultSettings())],
  ...[...loadEnvironments(path.join(REPO_ROOT, "overlays"))],
];

const policiesOf = (s: Settings) =>
  buildStack({ settings: s })
    .map((o) => plain(o.object) as Any)
    .filter((o) => o.kind === "NetworkPolicy");
const portsText = (ports: Any[] | undefined) => JSON.stringify(ports ?? null);
const flowPorts = (f: Flow, s: Settings) => portsText(portsOf(f, s)?.map((p) => ({ protocol: p.protocol, port: p.port })));
// Pods of this namespace (a peer with a namespaceSelector is outside the stack: Prometheus, the edge).
const appsIn = (peers: Any[] | undefined) => (peers ?? []).filter((p) => !p.namespaceSelector).map((p) => p.podSelector?.matchLabels?.[APP]).filter(Boolean);

describe("the network table", () => {
  for (const [name, s] of variants) {
    it(`${name}: each policy rule is a row of the table, and each row is a rule at both ends`, () => {
      const policies = policiesOf(s);
      const own = new Map(policies.map((p) => [p.metadata.name as string, p]));
      const rows = flowsIn(s);
      for (const p of policies.filter((p) => p.metadata.name !== "default-deny-all")) {
        const selected = p.spec.podSelector.matchLabels?.[APP] as string | undefined;
        for (const r of (p.spec.ingress ?? []) as Any[]) {
          const match = rows.find((f) => flowPorts(f, s) === portsText(r.ports) && appsIn(r.from).every((a: string) => f.from.includes(a)) && (f.to === selected || (f.admittedBy && admittingPolicyName(f) === p.metadata.name) || f.to.startsWith("@") || !selected));
          expect(match, `${p.metadata.name} ingress ${JSON.stringify(r)}`).toBeDefined();
        }
        for (const r of (p.spec.egress ?? []) as Any[]) {
          const match = rows.find((f) => flowPorts(f, s) === portsText(r.ports) && appsIn(r.to).every((a: string) => a === f.to));
          expect(match, `${p.metadata.name} egress ${JSON.stringify(r)}`).toBeDefined();
        }
      }
      for (const f of rows.filter((f) => !f.to.startsWith("@") && f.from.every((a) => a.startsWith("@") || own.has(a)))) {
        const dest = own.get(admittingPolicyName(f));
        if (!dest) continue; // the destination is not rendered in these settings
        const sources = f.from.filter((a) => !a.startsWith("@"));
        const rule = ((dest.spec.ingress ?? []) as Any[]).find((r) => portsText(r.ports) === flowPorts(f, s) && sources.every((a) => appsIn(r.from).includes(a)));
        expect(rule, `${f.from.join(",")} -> ${f.to}: ingress of ${dest.metadata.name}`).toBeDefined();
        for (const src of sources) {
          const egress = ((own.get(src)!.spec.egress ?? []) as Any[]).find((r) => appsIn(r.to).includes(f.to) && portsText(r.ports) === flowPorts(f, s));
          expect(egress, `${src} -> ${f.to}: egress of ${src}`).toBeDefined();
        }
      }
    });
  }
  it("a policy of its own is named <to>-from-<first source> ('@' dropped) unless a row names an exception, and each is rendered", () => {
    const separate = FLOWS.filter((f) => f.admittedBy);
    expect(separate.map(admittingPolicyName).sort()).toEqual([
      "mcp-gateway-from-prometheus",
      "postgres-from-pgadmin",
      "postgres-from-postgres-backup",
      "postgres-from-postgres-exporter",
      "redis-from-redis-commander",
      "redis-from-redis-exporter",
    ]);
    expect(admittingPolicyName({ from: ["a", "b"], to: "c", why: "", admittedBy: "c-from-ab" })).toBe("c-from-ab");
    expect(admittingPolicyName({ from: ["a"], to: "c", why: "" })).toBe("c");
    const rendered = policiesOf(withAllComponents(defaultSettings())).map((p) => p.metadata.name as string);
    for (const f of separate) expect(rendered, admittingPolicyName(f)).toContain(admittingPolicyName(f));
  });
  it("every row says why, and a port that comes from the app cites where", () => {
    for (const f of FLOWS) {
      expect(f.why.length, JSON.stringify(f.from)).toBeGreaterThan(10);
      // The gateway's own port and its peers' ports are facts of the app or an image: cited with file:line.
      if (f.to === "mcp-gateway" && f.from.includes("@edge")) expect(f.why).toMatch(/\.py:\d+/);
    }
  });
  it("the deployability analysis checks the table's rows: a Component's admitting policy removed blocks its flow", () => {
    const s = withAllComponents(defaultSettings());
    const objects = buildStack({ settings: s }).map((o) => plain(o.object) as Any);
    const analyse = (list: Any[]) =>
      analyseEnvironment({ name: "t", yaml: list.map((o) => toYaml(o)).join("---\n"), file: "t.yaml", settings: s }).findings.filter((f) => f.ruleId === "flow-blocked");
    expect(analyse(objects)).toEqual([]);
    const blocked = analyse(objects.filter((o) => !(o.kind === "NetworkPolicy" && o.metadata.name === "postgres-from-pgadmin")));
    const row = FLOWS.find((f) => admittingPolicyName(f) === "postgres-from-pgadmin")!;
    expect(blocked.map((f) => f.message)).toEqual([expect.stringContaining(`needs postgres: ${row.why.split(" (")[0]}`)]);
    expect(blocked[0]!.message).toContain("denied by the ingress of the destination");
  });
});
