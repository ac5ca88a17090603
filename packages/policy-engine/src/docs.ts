// A Markdown rules table derived from an engine's rules and profiles (a rule is data), e.g. for a README:
// each rule's severity per profile, what it checks, its parameters (with the peers' values) and where it
// deliberately differs from the peers. Each row carries an anchor (`policy-rule-<id>`) for SARIF helpUri links.
import type { PolicyEngine } from "./engine.ts";
import type { Rule } from "./types.ts";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const show = (v: unknown) => (Array.isArray(v) ? v.join(", ") : String(v));

export const ruleAnchor = (id: string) => `policy-rule-${id}`;

function parameters(r: Rule): string {
  return Object.entries(r.parameters ?? {})
    .map(([name, p]) => `\`${name}\`=${show(p.default)}${p.peers ? ` (${p.peers})` : ""}`)
    .join("; ");
}

export function rulesTable(engine: Pick<PolicyEngine, "rules" | "profiles">): string {
  const profiles = Object.values(engine.profiles);
  const header = `| rule | category | ${profiles.map((p) => p.name).join(" | ")} | checks | parameters | deliberate differences |`;
  const rows = engine.rules.map((r) => {
    const levels = profiles.map((p) => p.severities[r.id] ?? r.severity);
    const title = r.template ? `${r.title} (template \`${r.template}\`)` : r.title;
    return `| <a id="${ruleAnchor(r.id)}"></a>\`${r.id}\` | ${r.category} | ${levels.join(" | ")} | ${cell(title)} | ${cell(parameters(r))} | ${cell(r.differences ?? "")} |`;
  });
  return [header, `| --- | --- | ${profiles.map(() => "---").join(" | ")} | --- | --- | --- |`, ...rows].join("\n");
}
