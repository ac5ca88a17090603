// Text report: findings grouped by object, one line each (severity, rule id, message, JSON path),
// exemptions listed with their reasons, and a summary line. Coloured only on a terminal.
import { summarize } from "../engine.ts";
import type { Finding, PolicyReport, Severity } from "../types.ts";

const ANSI = { red: "\x1b[31m", yellow: "\x1b[33m", blue: "\x1b[34m", grey: "\x1b[90m", bold: "\x1b[1m", reset: "\x1b[0m" };
const COLOUR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.blue };

function objectLabel(f: Finding): string {
  const { kind, namespace, name } = f.object;
  return `${kind} ${namespace ? `${namespace}/` : ""}${name}`;
}

export function renderText(reports: readonly PolicyReport[], { colour = false } = {}): string {
  const paint = (code: string, s: string) => (colour ? `${code}${s}${ANSI.reset}` : s);
  const lines: string[] = [];
  for (const report of reports) {
    if (reports.length > 1 || report.overlay) {
      lines.push(paint(ANSI.bold, `== ${report.overlay ? `overlay ${report.overlay}` : "files"} (profile ${report.profile}, ${report.objects} objects)`));
    }
    let current = "";
    let ruleWidth = 0;
    for (const f of report.findings) ruleWidth = Math.max(ruleWidth, f.ruleId.length);
    for (const f of report.findings) {
      const key = `${f.file}:${f.objectLine}:${objectLabel(f)}`;
      if (key !== current) {
        current = key;
        lines.push(`${paint(ANSI.bold, objectLabel(f))}  ${paint(ANSI.grey, `${f.file}:${f.objectLine}`)}`);
      }
      const severity = f.exempted ? paint(ANSI.grey, "exempt ") : paint(COLOUR[f.severity], f.severity.padEnd(7));
      const exemption = f.exempted ? paint(ANSI.grey, `  [${f.severity}, exempted by ${f.exempted.source}: ${f.exempted.reason}]`) : "";
      lines.push(`  ${severity}  ${f.ruleId.padEnd(ruleWidth)}  ${f.message}  ${paint(ANSI.grey, `${f.path || "/"} (line ${f.line})`)}${exemption}`);
    }
  }
  const all = reports.flatMap((r) => r.findings);
  const s = summarize(all, reports.reduce((n, r) => n + r.objects, 0));
  const text = `${s.error} error(s), ${s.warning} warning(s), ${s.info} info, ${s.exempted} exempted in ${s.objects} object(s)`;
  lines.push(s.error > 0 ? paint(ANSI.red, `✖ ${text}`) : paint(ANSI.bold, `✔ ${text}`));
  return lines.join("\n") + "\n";
}
