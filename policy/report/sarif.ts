// SARIF of the policy engine: the shared renderer (scripts/lib/findings/sarif.ts) under the policy tool's name.
import { renderSarif as renderFindingsSarif } from "../../scripts/lib/findings/sarif.ts";
import type { Report, RuleInfo } from "../../scripts/lib/findings/types.ts";

export function renderSarif(reports: readonly Report[], rules: readonly RuleInfo[], version = "0.1.0"): string {
  return renderFindingsSarif(reports, rules, { name: "mcp-stack-policy", version });
}
