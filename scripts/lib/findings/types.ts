// The shape every object-level checker reports in (policy, deployability): findings located at an object,
// a file and a JSON pointer, exemptions with their reason, counts. The report formats read only this.
export type Severity = "error" | "warning" | "info";

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Exemption {
  reason: string;
  source: "annotation" | "config";
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  category: string;
  message: string;
  object: ObjectRef;
  file: string;
  line: number;
  path: string;
  overlay?: string;
  profile: string;
  exempted?: Exemption;
}

export interface Summary {
  error: number;
  warning: number;
  info: number;
  exempted: number;
  objects: number;
}

export interface Report<F extends Finding = Finding> {
  profile: string;
  overlay?: string;
  kubernetesVersion?: string;
  objects: number;
  findings: F[];
  summary: Summary;
}

/** What a report needs to know about a rule (SARIF's rule table). */
export interface RuleInfo {
  id: string;
  title: string;
  category: string;
  severity: Severity;
  rationale: string;
  remediation: string;
}

/** The tool named in SARIF. */
export interface ToolInfo {
  name: string;
  version?: string;
  informationUri?: string;
}

export function summarize(findings: readonly Finding[], objects: number): Summary {
  const summary = { error: 0, warning: 0, info: 0, exempted: 0, objects };
  for (const f of findings) {
    if (f.exempted) summary.exempted++;
    else summary[f.severity]++;
  }
  return summary;
}

/** True when a report must fail the gate: an error finding that is not exempted. */
export function hasBlockingFindings(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === "error" && !f.exempted);
}
