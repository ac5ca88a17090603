// Broken settings files: each gets its own message naming the file, the key path and (where it has one) the
// line, and what was expected; valid but unusual files load. In-process: parseSettings / loadSettingsFile.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSettingsFile, MAX_SETTINGS_BYTES, parseSettings, SettingsError } from "../scripts/settings/load.ts";

function problemsOf(text: string, file = "overlays/x/settings.yaml") {
  try {
    parseSettings(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    const e = err as SettingsError;
    expect(e.message.split("\n").every((l) => l.startsWith(`${file}`)), e.message).toBe(true);
    expect(e.message).not.toMatch(/\n\s+at /); // no stack trace in the message
    return e.problems;
  }
  throw new Error("expected a SettingsError");
}

describe("settings files that are not settings (each its own message)", () => {
  it("an empty file", () => {
    expect(problemsOf("")).toEqual([expect.objectContaining({ path: "", message: "is empty", line: 1, expected: expect.stringContaining("write {} to take every default") })]);
    expect(problemsOf("\n\n  \n")[0]!.message).toBe("is empty");
  });
  it("a comment-only file", () => {
    expect(problemsOf("# yaml-language-server: $schema=../../settings.schema.json\n# staging: todo\n")[0]!.message).toBe("holds only comments: no settings");
  });
  it("an explicit null document", () => {
    expect(problemsOf("~\n")[0]!.message).toBe("holds no settings (null)");
  });
  it("a list", () => {
    const [p] = problemsOf("# settings\n- namespace: mcp\n- profile: dev\n");
    expect(p).toMatchObject({ path: "", message: "is a list (2 items), not a mapping of settings", line: 2 });
  });
  it("a single value", () => {
    expect(problemsOf("namespace\n")[0]!.message).toBe('is a single value ("namespace"), not a mapping of settings');
  });
  it("two YAML documents", () => {
    expect(problemsOf("namespace: a\n---\nnamespace: b\n")[0]).toMatchObject({ message: "holds 2 YAML documents (separated by ---)", line: 2 });
  });
  it("a duplicate key, with both lines", () => {
    expect(problemsOf("gateway:\n  replicas: 1\n  replicas: 2\n")[0]).toMatchObject({ path: "gateway.replicas", message: "key given twice (first on line 2)", line: 3 });
  });
  it("a NUL byte", () => {
    expect(problemsOf("namespace: a\n\0\n")[0]).toMatchObject({ message: "contains a NUL byte: not a text file", line: 2 });
  });
  it("YAML syntax errors keep their line", () => {
    expect(problemsOf("gateway:\n  replicas: [1\n")[0]!.message).toMatch(/^YAML syntax error/);
  });
});

describe("bounded work", () => {
  it("refuses a settings file over 1 MiB before parsing it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "settings-size-"));
    try {
      const file = path.join(dir, "settings.yaml");
      fs.writeFileSync(file, "namespace: a\n" + "#".repeat(MAX_SETTINGS_BYTES) + "\n");
      expect(() => loadSettingsFile(file)).toThrow(/is \d+ bytes; settings files are limited to 1048576 bytes \(1 MiB\)/);
      fs.rmSync(file);
      fs.mkdirSync(file);
      expect(() => loadSettingsFile(file)).toThrow(/settings.yaml: \(top level\): is a directory/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("20,000 gateway.config keys load (no quadratic duplicate-key or line lookup); problems among them get their lines", () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `    KEY_${String(i).padStart(5, "0")}: "v${i}"`);
    const text = `gateway:\n  config:\n${keys.join("\n")}\n    1BAD: x\n    KEY_00007: again\n`;
    expect(text.length).toBeLessThan(MAX_SETTINGS_BYTES);
    const problems = problemsOf(text);
    expect(problems).toEqual([expect.objectContaining({ path: "gateway.config.KEY_00007", line: 20_004 })]);
    const ok = parseSettings(`gateway:\n  config:\n${keys.join("\n")}\n`, "x");
    expect(Object.keys(ok.gateway.config)).toHaveLength(20_000);
    expect(problemsOf(`gateway:\n  config:\n${keys.join("\n")}\n    1BAD: x\n`)).toEqual([
      expect.objectContaining({ path: "gateway.config.1BAD", line: 20_003 }),
    ]);
  });
});

describe("what the API server would refuse is refused at load time, with key path, line and rule", () => {
  const cases: [string, string, string, RegExp][] = [
    ["image repository with capitals and spaces", "gateway:\n  image:\n    repository: ghcr.io/IBM/Mcp Context Forge\n", "gateway.image.repository", /invalid reference format/],
    ["image repository with capitals", "fastTime:\n  image:\n    repository: ghcr.io/IBM/fast-time-server\n", "fastTime.image.repository", /repository name must be lowercase/],
    ["StorageClass name", "postgres:\n  persistence:\n    storageClassName: 'GP3 Fast!'\n", "postgres.persistence.storageClassName", /RFC 1123 subdomain/],
    ["CIDR prefix", "gateway:\n  egressCidrs: [10.0.0.0/33]\n", "gateway.egressCidrs.0", /prefix length 33 is more than 32/],
    ["CronJob schedule", "backup:\n  schedule: every day\n", "backup.schedule", /expected exactly 5 fields/],
    ["time zone", "backup:\n  timeZone: Mars/Olympus\n", "backup.timeZone", /unknown time zone Mars\/Olympus/],
    ["label key", "labels:\n  'bad key!': x\n", "labels.bad key!", /name part must consist/],
    ["label value", "labels:\n  team: -platform-\n", "labels.team", /a valid label must be an empty string/],
    ["annotation key", "annotations:\n  a/b/c: x\n", "annotations.a/b/c", /qualified name/],
    ["gateway.config key as env var", "gateway:\n  config:\n    1LOG_LEVEL: debug\n", "gateway.config.1LOG_LEVEL", /environment variable name/],
    ["request above limit", "gateway:\n  resources:\n    requests: { cpu: '4', memory: 1Gi }\n    limits: { cpu: '2', memory: 1Gi }\n", "gateway.resources.requests.cpu", /above the limit 2/],
    ["ingress host", "ingress:\n  host: 10.0.0.1\n", "ingress.host", /not an IP address/],
    ["SecretStore name", "credentials:\n  externalSecrets:\n    storeName: 'AWS Store'\n", "credentials.externalSecrets.storeName", /RFC 1123 subdomain/],
    ["node selector value", "nodeSelector:\n  disk: 'fast ssd'\n", "nodeSelector.disk", /label/],
  ];
  it.each(cases)("%s", (_, text, keyPath, message) => {
    const problems = problemsOf(text);
    const p = problems.find((x) => x.path === keyPath);
    expect(p, JSON.stringify(problems)).toBeDefined();
    expect(p!.message).toMatch(message);
    expect(p!.expected).toEqual(expect.any(String));
    expect(p!.line).toBeGreaterThan(0);
  });

  it("dotted keys get their own line", () => {
    const [p] = problemsOf("gateway:\n  serviceAccountAnnotations:\n    ok: x\n    eks.amazonaws.com/role/x: y\n");
    expect(p).toMatchObject({ path: "gateway.serviceAccountAnnotations.eks.amazonaws.com/role/x", line: 4 });
  });

  it("accepts what the API server accepts (macros, Etc zones, IPv6 CIDRs, digests)", () => {
    const s = parseSettings(
      "backup:\n  schedule: '@daily'\n  timeZone: Etc/UTC\ngateway:\n  egressCidrs: ['2001:db8::/64', 0.0.0.0/0]\n  image:\n    digest: sha256:" + "a".repeat(64) + "\n",
      "x",
    );
    expect(s.backup.schedule).toBe("@daily");
  });
});
