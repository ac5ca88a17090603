// SARIF 2.1.0 for GitHub code scanning: every rule with its help text, every finding as a result
// located at the object's file and line; exempted findings carry a suppression with the reason.
import type { PolicyReport, Rule, Severity } from "../types.ts";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

const toUri = (file: string) => file.replace(/\\/g, "/").replace(/^\.\//, "");

export interface SarifOptions {
  toolName?: string;
  version?: string;
  informationUri?: string;
}

export function renderSarif(reports: readonly PolicyReport[], rules: readonly Rule[], options: SarifOptions = {}): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = reports.flatMap((r) =>
    r.findings.map((f) => ({
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
      level: LEVEL[f.severity],
      message: { text: `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ""}${f.object.name}: ${f.message}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: toUri(f.file) }, region: { startLine: Math.max(1, f.line) } },
          logicalLocations: [{ fullyQualifiedName: `${f.object.kind}/${f.object.namespace ?? ""}/${f.object.name}${f.path}`, kind: "object" }],
        },
      ],
      ...(f.exempted ? { suppressions: [{ kind: f.exempted.source === "annotation" ? "inSource" : "external", justification: f.exempted.reason }] } : {}),
      properties: { path: f.path, profile: f.profile, ...(f.overlay ? { overlay: f.overlay } : {}) },
    })),
  );
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: options.toolName ?? "kube-policy",
            version: options.version ?? "0.1.0",
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.rationale },
              help: { text: `${r.rationale}\n\nRemediation: ${r.remediation}`, markdown: `${r.rationale}\n\n**Remediation:** ${r.remediation}` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { category: r.category, tags: [r.category, "kubernetes"] },
            })),
          },
        },
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
