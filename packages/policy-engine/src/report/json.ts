// JSON report: every finding with its object, file, JSON pointer and exemption, plus counts.
import { summarize } from "../engine.ts";
import type { PolicyReport } from "../types.ts";

export function renderJson(reports: readonly PolicyReport[]): string {
  const findings = reports.flatMap((r) => r.findings);
  const objects = reports.reduce((n, r) => n + r.objects, 0);
  const doc = {
    kubernetesVersion: reports[0]?.kubernetesVersion,
    runs: reports.map((r) => ({ ...(r.overlay ? { overlay: r.overlay } : {}), profile: r.profile, objects: r.objects, summary: r.summary })),
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      category: f.category,
      message: f.message,
      object: f.object,
      file: f.file,
      line: f.line,
      objectLine: f.objectLine,
      path: f.path,
      ...(f.overlay ? { overlay: f.overlay } : {}),
      profile: f.profile,
      exempted: f.exempted ?? false,
    })),
    summary: summarize(findings, objects),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}
