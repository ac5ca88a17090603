// kubeconform's output formats (pkg/output): text, json, junit, tap — same lines, keys and shapes,
// in input order rather than kubeconform's worker order.
import type { ResourceResult, ValidationReport } from "./types.ts";

export const OUTPUT_FORMATS = ["text", "json", "junit", "tap"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface OutputOptions {
  summary: boolean;
  verbose: boolean;
  /** Seconds the run took, for JUnit's `time`. */
  seconds?: number;
}

export function formatReport(report: ValidationReport, format: OutputFormat, options: OutputOptions): string {
  switch (format) {
    case "json":
      return formatJson(report, options);
    case "junit":
      return formatJunit(report, options);
    case "tap":
      return formatTap(report);
    default:
      return formatText(report, options);
  }
}

const counted = (r: ResourceResult) => r.status !== "statusEmpty";

function formatText(report: ValidationReport, options: OutputOptions): string {
  const lines: string[] = [];
  for (const r of report.resources) {
    if (r.status === "statusValid" && options.verbose) lines.push(`${r.filename} - ${r.kind} ${r.name} is valid`);
    else if (r.status === "statusInvalid") lines.push(`${r.filename} - ${r.kind} ${r.name} is invalid: ${r.msg}`);
    else if (r.status === "statusError") {
      lines.push(r.kind !== "" && r.name !== "" ? `${r.filename} - ${r.kind} ${r.name} failed validation: ${r.msg}` : `${r.filename} - failed validation: ${r.msg}`);
    } else if (r.status === "statusSkipped" && options.verbose) lines.push(`${r.filename} - ${r.name} ${r.kind} skipped`);
  }
  if (options.summary) lines.push(textSummary(report));
  return lines.map((l) => l + "\n").join("");
}

function textSummary(report: ValidationReport): string {
  const { valid, invalid, errors, skipped } = report.summary;
  const n = valid + invalid + errors + skipped;
  const resources = `${n} resource${n > 1 ? "s" : ""}`;
  const where = report.stdin ? "parsing stdin" : `in ${report.files} file${report.files > 1 ? "s" : ""}`;
  return `Summary: ${resources} found ${where} - Valid: ${valid}, Invalid: ${invalid}, Errors: ${errors}, Skipped: ${skipped}`;
}

function formatJson(report: ValidationReport, options: OutputOptions): string {
  const shown = report.resources.filter(
    (r) => counted(r) && (options.verbose || (r.status !== "statusValid" && r.status !== "statusSkipped")),
  );
  const resources = shown.map((r) => ({
    filename: r.filename,
    kind: r.kind,
    name: r.name,
    version: r.version,
    status: r.status,
    msg: r.msg,
    ...(r.validationErrors?.length ? { validationErrors: r.validationErrors.map((e) => ({ path: e.path, msg: e.msg })) } : {}),
  }));
  const body = options.summary ? { resources, summary: report.summary } : { resources };
  return goJsonEscape(JSON.stringify(body, null, 2)) + "\n";
}

/** Go's encoding/json escapes HTML characters; so do we, byte for byte. */
function goJsonEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function qualifiedName(r: ResourceResult): string {
  return `${r.version}/${r.kind}/${r.namespace}/${r.name}`;
}

function formatTap(report: ValidationReport): string {
  const lines: string[] = [];
  report.resources.forEach((r, i) => {
    const n = i + 1;
    if (n === 1) lines.push("TAP version 13");
    if (r.status === "statusValid") lines.push(`ok ${n} - ${r.filename} (${qualifiedName(r)})`);
    else if (r.status === "statusInvalid") lines.push(`not ok ${n} - ${r.filename} (${qualifiedName(r)}): ${r.msg}`);
    else if (r.status === "statusEmpty") lines.push(`ok ${n} - ${r.filename} (empty)`);
    else if (r.status === "statusError") lines.push(`not ok ${n} - ${r.filename}: ${r.msg}`);
    else lines.push(`ok ${n} - ${r.filename} (${qualifiedName(r)}) # skip`);
  });
  lines.push(`1..${report.resources.length}`);
  return lines.map((l) => l + "\n").join("");
}

function formatJunit(report: ValidationReport, options: OutputOptions): string {
  const suites = new Map<string, ResourceResult[]>();
  for (const r of report.resources.filter(counted)) {
    const list = suites.get(r.filename) ?? [];
    list.push(r);
    suites.set(r.filename, list);
  }
  const { valid, invalid, errors, skipped } = report.summary;
  const out: string[] = [
    `<testsuites name="kubeconform" time="${options.seconds ?? 0}" tests="${valid + invalid + errors + skipped}" failures="${invalid}" disabled="${skipped}" errors="${errors}">`,
  ];
  let id = 0;
  for (const [filename, results] of suites) {
    const count = (s: ResourceResult["status"]) => results.filter((r) => r.status === s).length;
    out.push(
      `  <testsuite name="${xmlAttr(filename)}" id="${++id}" tests="${results.length}" failures="${count("statusInvalid")}" errors="${count("statusError")}" disabled="0" skipped="${count("statusSkipped")}">`,
    );
    for (const r of results) out.push(...junitCase(r));
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}

function junitCase(r: ResourceResult): string[] {
  const name = r.namespace ? `${r.namespace}/${r.name}` : r.name;
  const open = `    <testcase name="${xmlAttr(name)}" classname="${xmlAttr(`${r.kind}@${r.version}`)}">`;
  if (r.status === "statusInvalid") return [open, `      <failure message="${xmlAttr(r.msg)}" type=""></failure>`, "    </testcase>"];
  if (r.status === "statusError") return [open, `      <error message="${xmlAttr(r.msg)}" type=""></error>`, "    </testcase>"];
  if (r.status === "statusSkipped") return [open, `      <skipped message=""></skipped>`, "    </testcase>"];
  return [open + "</testcase>"];
}

/** Go's encoding/xml attribute escaping. */
function xmlAttr(s: string): string {
  return s.replace(/[&<>"'\t\n\r]/g, (c) => XML_ESCAPES[c]!);
}
const XML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&#34;",
  "'": "&#39;",
  "\t": "&#x9;",
  "\n": "&#xA;",
  "\r": "&#xD;",
};
