// The README's policy rules table, derived from the rule registry and the profiles (a rule is data).
import { RULES } from "./engine.ts";
import { PROFILES } from "./profiles.ts";

export function rulesTable(): string {
  const profiles = Object.values(PROFILES);
  const header = `| rule | category | ${profiles.map((p) => p.name).join(" | ")} | checks |`;
  const rows = RULES.map((r) => {
    const levels = profiles.map((p) => p.severities[r.id] ?? r.severity);
    return `| \`${r.id}\` | ${r.category} | ${levels.join(" | ")} | ${r.title.replace(/\|/g, "\\|")} |`;
  });
  return [header, `| --- | --- | ${profiles.map(() => "---").join(" | ")} | --- |`, ...rows].join("\n");
}
