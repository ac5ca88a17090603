// kubeconform's output formats (pkg/output): text, json, junit, pretty and tap, written result by
// result as kubeconform's Output.Write/Flush do, so text, pretty and tap stream and memory stays
// bounded; json keeps only what it will print (failures, or everything with -verbose), junit all
// cases. Results arrive in input order (kubeconform's order depends on its goroutines).
import type { ResourceResult, Summary, ValidationReport } from "./types.ts";

export const OUTPUT_FORMATS = ["json", "junit", "pretty", "tap", "text"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface OutputOptions {
  summary: boolean;
  verbose: boolean;
  /** kubeconform's isStdin: the summary says "parsing stdin". */
  stdin?: boolean;
  /** Seconds the run took, for JUnit's `time` (kubeconform measures it; tests pin it). */
  seconds?: number;
}

export interface Output {
  write(result: ResourceResult): void;
  /** Everything still to print (json, junit, summaries). */
  flush(): void;
}

export function newOutput(format: OutputFormat, options: OutputOptions, out: (text: string) => void): Output {
  switch (format) {
    case "json":
      return jsonOutput(options, out);
    case "junit":
      return junitOutput(options, out);
    case "tap":
      return tapOutput(out);
    case "pretty":
      return textOutput(options, out, true);
    default:
      return textOutput(options, out, false);
  }
}

/** A whole report at once (tests, callers that collected results). */
export function formatReport(report: ValidationReport, format: OutputFormat, options: OutputOptions): string {
  let text = "";
  const output = newOutput(format, { stdin: report.stdin, ...options }, (s) => (text += s));
  for (const r of report.resources) output.write(r);
  output.flush();
  return text;
}

class Counts {
  readonly summary: Summary = { valid: 0, invalid: 0, errors: 0, skipped: 0 };
  readonly files = new Set<string>();
  add(r: ResourceResult): void {
    this.files.add(r.filename);
    if (r.status === "statusValid") this.summary.valid++;
    else if (r.status === "statusInvalid") this.summary.invalid++;
    else if (r.status === "statusError") this.summary.errors++;
    else if (r.status === "statusSkipped") this.summary.skipped++;
  }
  line(stdin: boolean): string {
    const { valid, invalid, errors, skipped } = this.summary;
    const n = valid + invalid + errors + skipped;
    const resources = `${n} resource${n > 1 ? "s" : ""}`;
    const nFiles = this.files.size;
    const where = stdin ? "parsing stdin" : `in ${nFiles} file${nFiles > 1 ? "s" : ""}`;
    return `Summary: ${resources} found ${where} - Valid: ${valid}, Invalid: ${invalid}, Errors: ${errors}, Skipped: ${skipped}\n`;
  }
}

const RESET = "\x1b[0m";
const RED = "\x1b[31m";
const GREEN = "\x1b[32m";
const YELLOW = "\x1b[33m";

function textOutput(options: OutputOptions, out: (text: string) => void, pretty: boolean): Output {
  const counts = new Counts();
  return {
    write(r) {
      counts.add(r);
      const line = pretty ? prettyLine(r, options.verbose) : textLine(r, options.verbose);
      if (line) out(line);
    },
    flush() {
      if (options.summary) out(counts.line(options.stdin ?? false));
    },
  };
}

function textLine(r: ResourceResult, verbose: boolean): string | undefined {
  switch (r.status) {
    case "statusValid":
      return verbose ? `${r.filename} - ${r.kind} ${r.name} is valid\n` : undefined;
    case "statusInvalid":
      return `${r.filename} - ${r.kind} ${r.name} is invalid: ${r.msg}\n`;
    case "statusError":
      return r.kind !== "" && r.name !== "" ? `${r.filename} - ${r.kind} ${r.name} failed validation: ${r.msg}\n` : `${r.filename} - failed validation: ${r.msg}\n`;
    case "statusSkipped":
      return verbose ? `${r.filename} - ${r.name} ${r.kind} skipped\n` : undefined;
    default:
      return undefined;
  }
}

function prettyLine(r: ResourceResult, verbose: boolean): string | undefined {
  const check = "\u2714";
  const cross = "\u2716";
  switch (r.status) {
    case "statusValid":
      return verbose ? `${GREEN}${check}${RESET} ${r.filename}: ${GREEN}${r.kind} ${r.name} is valid${RESET}\n` : undefined;
    case "statusInvalid":
      return `${RED}${cross}${RESET} ${r.filename}: ${RED}${r.kind} ${r.name} is invalid: ${r.msg}${RESET}\n`;
    case "statusError": {
      const head = `${RED}${cross}${RESET} ${r.filename}: `;
      return r.kind !== "" && r.name !== ""
        ? `${head}${RED}${r.kind} failed validation: ${r.name} ${r.msg}${RESET}\n`
        : `${head}${RED}failed validation: ${r.name} ${r.msg}${RESET}\n`;
    }
    case "statusSkipped": {
      if (!verbose) return undefined;
      const head = `${YELLOW}-${RESET} ${r.filename}: `;
      if (r.kind !== "" && r.name !== "") return `${head}${YELLOW}${r.kind} ${r.name} skipped${RESET}\n`;
      if (r.kind !== "") return `${head}${YELLOW}${r.kind} skipped${RESET}\n`;
      return `${head}${YELLOW}skipped${RESET}\n`;
    }
    default:
      return undefined;
  }
}

function jsonOutput(options: OutputOptions, out: (text: string) => void): Output {
  const counts = new Counts();
  const shown: object[] = [];
  return {
    write(r) {
      counts.add(r);
      const failed = r.status === "statusInvalid" || r.status === "statusError";
      if (!options.verbose && !failed) return;
      shown.push({
        filename: r.filename,
        kind: r.kind,
        name: r.name,
        version: r.version,
        // kubeconform leaves the status of an empty document blank
        status: r.status === "statusEmpty" ? "" : r.status,
        msg: failed ? r.msg : "",
        ...(r.validationErrors?.length ? { validationErrors: r.validationErrors.map((e) => ({ path: e.path, msg: e.msg })) } : {}),
      });
    },
    flush() {
      const body = options.summary ? { resources: shown, summary: counts.summary } : { resources: shown };
      out(goJsonEscape(JSON.stringify(body, null, 2)) + "\n");
    },
  };
}

/** Go's encoding/json escapes HTML characters and the JavaScript line separators; so do we. */
function goJsonEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function qualifiedName(r: ResourceResult): string {
  return `${r.version}/${r.kind}/${r.namespace}/${r.name}`;
}

function tapOutput(out: (text: string) => void): Output {
  let n = 0;
  return {
    write(r) {
      n++;
      let line: string;
      if (r.status === "statusValid") line = `ok ${n} - ${r.filename} (${qualifiedName(r)})`;
      else if (r.status === "statusInvalid") line = `not ok ${n} - ${r.filename} (${qualifiedName(r)}): ${r.msg}`;
      else if (r.status === "statusEmpty") line = `ok ${n} - ${r.filename} (empty)`;
      else if (r.status === "statusError") line = `not ok ${n} - ${r.filename}: ${r.msg}`;
      else line = `ok ${n} - ${r.filename} (${qualifiedName(r)}) # skip`;
      out((n === 1 ? "TAP version 13\n" : "") + line + "\n");
    },
    flush() {
      out(`1..${n}\n`);
    },
  };
}

interface Suite {
  name: string;
  cases: string[];
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function junitOutput(options: OutputOptions, out: (text: string) => void): Output {
  const started = performance.now();
  const suites = new Map<string, Suite>();
  const totals = { valid: 0, invalid: 0, errors: 0, skipped: 0 };
  return {
    write(r) {
      let suite = suites.get(r.filename);
      if (!suite) {
        suite = { name: r.filename, cases: [], tests: 0, failures: 0, errors: 0, skipped: 0 };
        suites.set(r.filename, suite);
      }
      if (r.status === "statusEmpty") return;
      suite.tests++;
      if (r.status === "statusInvalid") (suite.failures++, totals.invalid++);
      else if (r.status === "statusError") (suite.errors++, totals.errors++);
      else if (r.status === "statusSkipped") (suite.skipped++, totals.skipped++);
      else totals.valid++;
      suite.cases.push(...junitCase(r));
    },
    flush() {
      const seconds = options.seconds ?? (performance.now() - started) / 1000;
      const { valid, invalid, errors, skipped } = totals;
      const lines = [
        `<testsuites name="kubeconform" time="${goFloat(seconds)}" tests="${valid + invalid + errors + skipped}" failures="${invalid}" disabled="${skipped}" errors="${errors}">`,
      ];
      let id = 0;
      for (const s of suites.values()) {
        const head = `  <testsuite name="${xmlAttr(s.name)}" id="${++id}" tests="${s.tests}" failures="${s.failures}" errors="${s.errors}" disabled="0" skipped="${s.skipped}">`;
        if (s.cases.length === 0) lines.push(head + "</testsuite>");
        else lines.push(head, ...s.cases, "  </testsuite>");
      }
      lines.push("</testsuites>");
      out(lines.join("\n") + "\n");
    },
  };
}

function junitCase(r: ResourceResult): string[] {
  const name = r.namespace ? `${r.namespace}/${r.name}` : r.name;
  const open = `    <testcase name="${xmlAttr(name)}" classname="${xmlAttr(`${r.kind}@${r.version}`)}" time="0">`;
  if (r.status === "statusInvalid") return [open, `      <failure message="${xmlAttr(r.msg)}" type=""></failure>`, "    </testcase>"];
  if (r.status === "statusError") return [open, `      <error message="${xmlAttr(r.msg)}" type=""></error>`, "    </testcase>"];
  if (r.status === "statusSkipped") return [open, `      <skipped message=""></skipped>`, "    </testcase>"];
  return [open + "</testcase>"];
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), as encoding/xml writes a float64 attribute. */
export function goFloat(n: number): string {
  if (n === 0) return "0";
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const [mantissa, e] = n.toExponential().split("e") as [string, string];
    const sign = e.startsWith("-") ? "-" : "+";
    return `${mantissa}e${sign}${e.replace(/^[+-]/, "").padStart(2, "0")}`;
  }
  return String(n);
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
