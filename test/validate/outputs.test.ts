import { describe, expect, it } from "vitest";
import { formatReport } from "../../packages/validate/src/output.ts";
import { summarize, type ResourceResult, type ValidationReport } from "../../packages/validate/src/types.ts";

const base = { namespace: "", documentIndex: 1, line: 1, msg: "" };
const resources: ResourceResult[] = [
  { ...base, filename: "a.yaml", kind: "Deployment", name: "web", namespace: "mcp", version: "apps/v1", status: "statusValid" },
  {
    ...base,
    filename: "a.yaml",
    kind: "Service",
    name: "svc",
    version: "v1",
    status: "statusInvalid",
    msg: "problem validating schema. Check JSON formatting: jsonschema validation failed with 'file:///s/service-v1.json#' - at '/spec/ports/0': missing property 'port'",
    validationErrors: [{ path: "/spec/ports/0", msg: "missing property 'port'" }],
  },
  { ...base, filename: "a.yaml", kind: "", name: "", version: "", status: "statusEmpty" },
  { ...base, filename: "b.yaml", kind: "", name: "", version: "", status: "statusError", msg: "error while parsing: missing 'kind' key" },
  { ...base, filename: "b.yaml", kind: "Widget", name: "w", version: "example.com/v1", status: "statusError", msg: "could not find schema for Widget" },
  { ...base, filename: "b.yaml", kind: "Secret", name: "s<1>", version: "v1", status: "statusSkipped" },
];
const report: ValidationReport = { resources, summary: summarize(resources), files: 2, stdin: false, notices: [], engine: "schemas" };

describe("text output (kubeconform pkg/output/text.go)", () => {
  it("prints invalid and error lines, and valid/skipped only when verbose", () => {
    expect(formatReport(report, "text", { summary: true, verbose: false })).toBe(
      [
        "a.yaml - Service svc is invalid: problem validating schema. Check JSON formatting: jsonschema validation failed with 'file:///s/service-v1.json#' - at '/spec/ports/0': missing property 'port'",
        "b.yaml - failed validation: error while parsing: missing 'kind' key",
        "b.yaml - Widget w failed validation: could not find schema for Widget",
        "Summary: 5 resources found in 2 files - Valid: 1, Invalid: 1, Errors: 2, Skipped: 1",
        "",
      ].join("\n"),
    );
    const verbose = formatReport(report, "text", { summary: false, verbose: true }).split("\n");
    expect(verbose[0]).toBe("a.yaml - Deployment web is valid");
    expect(verbose).toContain("b.yaml - s<1> Secret skipped");
  });

  it("words the summary for stdin, and for one resource in one file", () => {
    const one: ValidationReport = { ...report, resources: [resources[0]!], summary: summarize([resources[0]!]), files: 1 };
    expect(formatReport(one, "text", { summary: true, verbose: false })).toBe(
      "Summary: 1 resource found in 1 file - Valid: 1, Invalid: 0, Errors: 0, Skipped: 0\n",
    );
    expect(formatReport({ ...one, stdin: true }, "text", { summary: true, verbose: false })).toBe(
      "Summary: 1 resource found parsing stdin - Valid: 1, Invalid: 0, Errors: 0, Skipped: 0\n",
    );
  });
});

describe("json output (kubeconform pkg/output/json.go)", () => {
  it("lists failures with exactly kubeconform's keys, and the summary when asked", () => {
    const parsed = JSON.parse(formatReport(report, "json", { summary: true, verbose: false }));
    expect(Object.keys(parsed)).toEqual(["resources", "summary"]);
    expect(parsed.summary).toEqual({ valid: 1, invalid: 1, errors: 2, skipped: 1 });
    expect(parsed.resources.map((r: { status: string }) => r.status)).toEqual(["statusInvalid", "statusError", "statusError"]);
    expect(Object.keys(parsed.resources[0])).toEqual(["filename", "kind", "name", "version", "status", "msg", "validationErrors"]);
    expect(Object.keys(parsed.resources[1])).toEqual(["filename", "kind", "name", "version", "status", "msg"]);
  });

  it("includes valid, skipped and (with a blank status) empty documents when verbose, and escapes like Go", () => {
    const text = formatReport(report, "json", { summary: false, verbose: true });
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(["resources"]);
    // kubeconform 0.7.0 lists empty documents too, with status "" (recorded: kubeconform -output json -verbose on an empty file)
    expect(parsed.resources).toHaveLength(6);
    expect(parsed.resources[2]).toEqual({ filename: "a.yaml", kind: "", name: "", version: "", status: "", msg: "" });
    expect(text).toContain('"name": "s\\u003c1\\u003e"');
    expect(formatReport({ ...report, resources: [], summary: summarize([]) }, "json", { summary: false, verbose: false })).toBe('{\n  "resources": []\n}\n');
  });
});

describe("tap output (kubeconform pkg/output/tap.go)", () => {
  it("numbers every result, empty documents included", () => {
    expect(formatReport(report, "tap", { summary: false, verbose: false })).toBe(
      [
        "TAP version 13",
        "ok 1 - a.yaml (apps/v1/Deployment/mcp/web)",
        "not ok 2 - a.yaml (v1/Service//svc): problem validating schema. Check JSON formatting: jsonschema validation failed with 'file:///s/service-v1.json#' - at '/spec/ports/0': missing property 'port'",
        "ok 3 - a.yaml (empty)",
        "not ok 4 - b.yaml: error while parsing: missing 'kind' key",
        "not ok 5 - b.yaml: could not find schema for Widget",
        "ok 6 - b.yaml (v1/Secret//s<1>) # skip",
        "1..6",
        "",
      ].join("\n"),
    );
  });
});

describe("junit output (kubeconform pkg/output/junit.go)", () => {
  it("writes one suite per file with failures, errors and skips, XML-escaped", () => {
    const xml = formatReport(report, "junit", { summary: true, verbose: false, seconds: 0.5 });
    expect(xml.split("\n")[0]).toBe('<testsuites name="kubeconform" time="0.5" tests="5" failures="1" disabled="1" errors="2">');
    expect(xml).toContain('<testsuite name="a.yaml" id="1" tests="2" failures="1" errors="0" disabled="0" skipped="0">');
    expect(xml).toContain('<testcase name="mcp/web" classname="Deployment@apps/v1" time="0"></testcase>');
    expect(xml).toContain(`<failure message="problem validating schema. Check JSON formatting: jsonschema validation failed with &#39;file:///s/service-v1.json#&#39;`);
    expect(xml).toContain('<error message="could not find schema for Widget" type=""></error>');
    expect(xml).toContain('<testcase name="s&lt;1&gt;" classname="Secret@v1" time="0">');
    expect(xml).toContain('<skipped message=""></skipped>');
    // well-formed: every element that opens also closes
    const opens = (xml.match(/<(testsuites|testsuite|testcase)[ >]/g) ?? []).length;
    const closes = (xml.match(/<\/(testsuites|testsuite|testcase)>/g) ?? []).length;
    expect(opens).toBe(closes);
  });
});
