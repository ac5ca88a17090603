// A Markdown rules table derived from an engine's rules and profiles (a rule is data), e.g. for a README.
import type { PolicyEngine } from "./engine.ts";

export function rulesTable(engine: Pick<PolicyEngine, "rules" | "profiles">): string {
  const profiles = Object.values(engine.profiles);
  const header = `| rule | category | ${profiles.map((p) => p.name).join(" | ")} | checks |`;
  const rows = engine.rules.map((r) => {
    const levels = profiles.map((p) => p.severities[r.id] ?? r.severity);
    return `| \`${r.id}\` | ${r.category} | ${levels.join(" | ")} | ${r.title.replace(/\|/g, "\\|")} |`;
  });
  return [header, `| --- | --- | ${profiles.map(() => "---").join(" | ")} | --- |`, ...rows].join("\n");
}
