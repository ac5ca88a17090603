// The validate command as kubeconform's drop-in: in-process through main(argv, io), plus a real process run
// for the entry point (standard input from a pipe). Expected texts and exit codes were recorded
// from kubeconform 0.7.0 built from yannh/kubeconform.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main, type Io } from "../../packages/validate/src/cli.ts";
import { setParallelThreshold } from "../../packages/validate/src/perf/workers.ts";
import { crdsTemplate, describeRun, fixture, runCli, runValidate, schemasDir, tempDir, testCacheDir } from "./helpers.ts";

async function run(argv: string[], opts: { charDevice?: boolean } = {}) {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdinIsCharDevice: () => opts.charDevice ?? false };
  const status = await main(argv, io, { cacheDir: testCacheDir });
  return { status, stdout, stderr };
}

const offline = ["-schema-location", schemasDir, "-schema-location", crdsTemplate, "-kubernetes-version", "1.36.2"];

describe("validate CLI (kubeconform-compatible, in-process)", () => {
  it("exits 0 with kubeconform's summary line for valid input", async () => {
    const ok = await run(["-summary", "-strict", ...offline, fixture("stack.yaml")]);
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toBe(`Summary: 14 resources found in 1 file - Valid: 14, Invalid: 0, Errors: 0, Skipped: 0\n`);
    expect(ok.status).toBe(0);
    // without the CRD location the ServiceMonitor has no schema: an error, as in kubeconform
    const noCrds = await run(["-summary", "-strict", "-kubernetes-version", "1.36.2", "-schema-location", schemasDir, fixture("stack.yaml")]);
    expect(noCrds.stdout).toContain("ServiceMonitor mcp-gateway failed validation: could not find schema for ServiceMonitor");
    expect(noCrds.status).toBe(1);
  });

  it("exits 1 on invalid input and prints JSON in kubeconform's format", async () => {
    const r = await run(["-output", "json", "-summary", "-strict", ...offline, fixture("list.yaml")]);
    expect(r.status).toBe(1);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.summary).toEqual({ valid: 2, invalid: 1, errors: 0, skipped: 0 });
    expect(parsed.resources[0]).toMatchObject({
      filename: fixture("list.yaml"),
      kind: "ConfigMap",
      name: "second",
      version: "v1",
      status: "statusInvalid",
      validationErrors: [{ path: "/data/count", msg: "got number, want null or string" }],
    });
  });

  it("Go flag rules: last value wins, -strict=false, --double-dash, flags end at the first path", async () => {
    const dup = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: x, a: y}\n";
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "dup.yaml"), dup);
    const lenient = await run([...offline, "-strict", "-strict=false", path.join(dir, "dup.yaml")]);
    expect(lenient.stdout).toContain("could not find schema"); // non-strict folder missing: schema not found, but no duplicate-key error
    const strict = await run([...offline, "-strict=false", "--strict", path.join(dir, "dup.yaml")]);
    expect(strict.stdout).toContain('key "a" already set in map');
    // a flag after the first path is a path, as in Go's flag package
    const after = await run([...offline, path.join(dir, "dup.yaml"), "-strict"]);
    expect(after.stdout).toContain("-strict - failed validation: lstat -strict: no such file or directory");
  });

  it("usage errors exit 1 with kubeconform's words and usage on stderr; -h exits 0 on stdout; -v prints a version", async () => {
    const bogus = await run(["-bogus"]);
    expect(bogus.status).toBe(1);
    expect(bogus.stderr.split("\n").slice(0, 2)).toEqual(["flag provided but not defined: -bogus", "Usage: kubeconform [OPTION]... [FILE OR FOLDER]..."]);
    const version = await run(["-kubernetes-version", "1.36"]);
    expect(version.stderr.split("\n")[0]).toBe(
      'invalid value "1.36" for flag -kubernetes-version: 1.36 is not a valid version. Valid values are "master" (default) or full version x.y.z (e.g. "1.27.2")',
    );
    expect((await run(["-n", "x"])).stderr.split("\n")[0]).toBe('invalid value "x" for flag -n: parse error');
    expect((await run(["-strict=maybe"])).stderr.split("\n")[0]).toBe('invalid boolean value "maybe" for -strict: parse error');
    const output = await run(["-output", "foo", "x.yaml"]);
    expect([output.status, output.stderr]).toEqual([1, "'outputFormat' must be 'json', 'junit', 'pretty', 'tap' or 'text'\n"]);
    const template = await run(["-schema-location", "x/{{ .Foo }}.json", "x.yaml"]);
    expect(template.status).toBe(1);
    expect(template.stderr).toMatch(/^failed initialising schema location registry/);
    const help = await run(["-h"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("  -exit-on-error\n    \timmediately stop execution when the first error is encountered\n");
    expect(help.stdout).toContain("  -n int\n    \tnumber of goroutines to run concurrently (default 4)\n");
    expect((await run(["-help"])).status).toBe(1); // Go's flag.ErrHelp: kubeconform only defines -h
    expect(await run(["-v"])).toEqual({ status: 0, stdout: "v0.7.0\n", stderr: "" });
  });

  it("-debug prints nothing more, as in kubeconform 0.7.0 (its registries never read the flag)", async () => {
    for (const args of [["-summary", "-strict", ...offline, fixture("stack.yaml")], ["-output", "json", ...offline, fixture("list.yaml")], ["-summary", "-schema-location", schemasDir, fixture("stack.yaml")]]) {
      const plain = await run(args);
      const debug = await run(["-debug", ...args]);
      expect(debug).toEqual(plain);
    }
  });

  it("refuses to read a terminal or other character device on stdin, as kubeconform does", async () => {
    for (const argv of [[], ["-"]]) {
      const r = await run(argv, { charDevice: true });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d failing to read data from stdin\n$/);
    }
  });

  it("-exit-on-error stops at the first failure", async () => {
    const r = await run(["-exit-on-error", "-strict", ...offline, fixture("bad/mixed.yaml")]);
    expect(r.status).toBe(1);
    expect(r.stdout.match(/failed validation|is invalid/g)).toHaveLength(1);
  });

  it("-cache must be an existing folder", async () => {
    const r = await run(["-cache", "/nonexistent/cache", "-schema-location", "https://example.invalid/{{.ResourceKind}}.json", fixture("stack.yaml")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("failed opening cache folder /nonexistent/cache: stat /nonexistent/cache: no such file or directory\n");
  });

  it("pretty output: kubeconform's marks and colours", async () => {
    const r = await run(["-output", "pretty", "-verbose", "-strict", ...offline, fixture("list.yaml")]);
    expect(r.stdout).toContain(`\u001b[32m\u2714\u001b[0m ${fixture("list.yaml")}: \u001b[32mConfigMap first is valid\u001b[0m\n`);
    expect(r.stdout).toContain(`\u001b[31m\u2716\u001b[0m ${fixture("list.yaml")}: \u001b[31mConfigMap second is invalid: `);
  });
});

describe("validate entry point (real processes)", () => {
  it("reads standard input with no path or -, and says so in the summary", () => {
    const r = runCli(["-summary", "-output", "tap", "-"], { input: fs.readFileSync(fixture("valid.json"), "utf8") });
    expect(r.stdout).toBe("TAP version 13\nok 1 - stdin (v1/Service/mcp/from-json)\n1..1\n");
    const text = runCli(["-summary"], { input: "apiVersion: v1\nkind: Namespace\nmetadata: {name: mcp}\n" });
    expect(text.stdout).toBe("Summary: 1 resource found parsing stdin - Valid: 1, Invalid: 0, Errors: 0, Skipped: 0\n");
    expect(text.status).toBe(0);
  });
});

describe("validate through scripts/validate.ts's main (project defaults, in-process)", () => {
  it("uses both threads on large input with the same verdicts, in input order", async () => {
    const dir = tempDir();
    const stack = fs.readFileSync(fixture("stack.yaml"), "utf8");
    const copies = Array.from({ length: 400 }, (_, i) => stack.replaceAll("name: mcp-gateway\n", `name: mcp-gateway-${i}\n`));
    fs.writeFileSync(path.join(dir, "big.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\ndata: {n: 1}\n---\n" + copies.join("\n---\n"));
    setParallelThreshold(1); // the real threshold is tens of megabytes
    let r: Awaited<ReturnType<typeof runValidate>>;
    try {
      r = await runValidate(["-summary", "-n", "2", dir]);
    } finally {
      setParallelThreshold();
    }
    const how = describeRun(r);
    expect(r.stderr, how).toBe("");
    expect(r.stdout, how).toContain("Summary: 5601 resources found in 1 file - Valid: 5600, Invalid: 1, Errors: 0, Skipped: 0");
    expect(r.stdout.split("\n")[0], how).toMatch(/ConfigMap first is invalid: .* at '\/data\/false': got number, want null or string$/);
    expect(r.status, how).toBe(1);
  });

  it("-engine kubeconform runs the binary with the project's defaults and passes its output through", async () => {
    const dir = tempDir();
    const bin = path.join(dir, "kubeconform");
    fs.writeFileSync(bin, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/args"\necho "from the binary"\nexit 1\n`, { mode: 0o755 });
    const previous = process.env.KUBECONFORM;
    process.env.KUBECONFORM = bin;
    let r: Awaited<ReturnType<typeof runValidate>>;
    let missing: Awaited<ReturnType<typeof runValidate>>;
    try {
      r = await runValidate(["-engine", "kubeconform", "-skip", "Widget", "-summary", "a.yaml"]);
      process.env.KUBECONFORM = "/nonexistent/kubeconform";
      missing = await runValidate(["-engine", "kubeconform", "a.yaml"]);
    } finally {
      if (previous === undefined) delete process.env.KUBECONFORM;
      else process.env.KUBECONFORM = previous;
    }
    const args = fs.readFileSync(path.join(dir, "args"), "utf8").trim().split("\n");
    expect(args.slice(-4)).toEqual(["-skip", "Widget", "-summary", "a.yaml"]);
    expect(args).toContain("-kubernetes-version");
    expect([r.status, r.stdout]).toEqual([1, "from the binary\n"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("cannot run /nonexistent/kubeconform: not installed");
  });

  it("-engine kubeconform -semantic: kubeconform's verdicts, then the API server's rules on the same input (files in-process, stdin piped)", async () => {
    const dir = tempDir();
    const bin = path.join(dir, "kubeconform");
    // A stand-in that finds everything valid (as kubeconform does for a name its schemas do not constrain).
    fs.writeFileSync(bin, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/args"\nif [ "$READ_STDIN" = 1 ]; then cat > "${dir}/stdin"; fi\necho "Summary: all valid"\nexit 0\n`, { mode: 0o755 });
    const file = path.join(dir, "bad.yaml");
    const bad = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\ndata: {}\n";
    fs.writeFileSync(file, bad);
    const previous = process.env.KUBECONFORM;
    process.env.KUBECONFORM = bin;
    try {
      const r = await runValidate(["-engine", "kubeconform", "-semantic", "-summary", file]);
      expect(fs.readFileSync(path.join(dir, "args"), "utf8")).not.toContain("-semantic");
      expect(r.stdout).toMatch(new RegExp(`^Summary: all valid\n${file.replace(/[/.]/g, "\\$&")} - ConfigMap Bad_Name is invalid: /metadata/name: .*\nSemantic: 1 object\\(s\\) the API server would refuse\n$`));
      expect(r.status).toBe(1);
      const json = await runValidate(["-engine", "kubeconform", "-semantic", "-output", "json", file]);
      expect(json.status).toBe(1);
      expect(json.stderr).toMatch(/-semantic with -engine kubeconform .* needs -output text \(not json\); for json output use the builtin engine/);
      fs.writeFileSync(file, bad.replace("Bad_Name", "good-name"));
      expect(await runValidate(["-engine", "kubeconform", "-semantic", file])).toMatchObject({ status: 0, stdout: "Summary: all valid\n" });
    } finally {
      if (previous === undefined) delete process.env.KUBECONFORM;
      else process.env.KUBECONFORM = previous;
    }
    // Standard input: read first, handed to kubeconform, then checked (a real process: stdin is a pipe).
    const piped = runCli(["-engine", "kubeconform", "-semantic"], { env: { KUBECONFORM: bin, READ_STDIN: "1" }, input: bad });
    expect(fs.readFileSync(path.join(dir, "stdin"), "utf8")).toBe(bad);
    expect([piped.status, piped.stdout]).toEqual([1, expect.stringMatching(/^Summary: all valid\nstdin - ConfigMap Bad_Name is invalid: /)]);
  });
});
