// SARIF 2.1.0 for GitHub code scanning: every rule with its help text (and helpUri when given), every finding
// as a result located at the line of the offending field, with a fingerprint that survives line moves;
// exempted findings carry a suppression with the reason.
import type { Finding, PolicyReport, Rule, Severity } from "../types.ts";
const { createHash } = process.getBuiltinModule("node:crypto");
const path = process.getBuiltinModule("node:path");
const { pathToFileURL } = process.getBuiltinModule("node:url");

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/** An artifact URI: absolute paths as file:// URIs, relative ones as percent-encoded relative references (SARIF1004). */
export function toUri(file: string): string {
  if (path.isAbsolute(file)) return pathToFileURL(file).href;
  return file
    .replace(/\\/g, "/")
    .replace(/^\.\//, "")
    .split("/")
    .map((s) => encodeURIComponent(s))
    .join("/");
}

/** Identifies a finding by what it is about, not where it is: rule, object and field. */
function fingerprint(f: Finding): string {
  return createHash("sha256").update(`${f.ruleId}\u0000${f.object.kind}\u0000${f.object.namespace ?? ""}\u0000${f.object.name}\u0000${f.path}\u0000${f.overlay ?? ""}`).digest("hex");
}

export interface SarifOptions {
  toolName?: string;
  version?: string;
  informationUri?: string;
  /** Where a rule is documented (e.g. its README anchor). */
  helpUri?: (ruleId: string) => string;
}

export function renderSarif(reports: readonly PolicyReport[], rules: readonly Rule[], options: SarifOptions = {}): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = reports.flatMap((r) =>
    r.findings.map((f) => ({
      ruleId: f.ruleId,
      ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
      level: LEVEL[f.severity],
      message: { text: `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ""}${f.object.name}: ${f.message}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: toUri(f.file) }, region: { startLine: Math.max(1, f.line) } },
          logicalLocations: [{ fullyQualifiedName: `${f.object.kind}/${f.object.namespace ?? ""}/${f.object.name}${f.path}`, kind: "object" }],
        },
      ],
      partialFingerprints: { "policyFinding/v1": fingerprint(f) },
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
              ...(options.helpUri ? { helpUri: options.helpUri(r.id) } : {}),
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
