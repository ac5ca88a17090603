// One table per rule: accepted and rejected values taken from Kubernetes' own validation tests
// (k8s.io/apimachinery/pkg/util/validation/validation_test.go, pkg/api/resource/quantity_test.go,
// pkg/apis/batch/validation/validation_test.go, robfig/cron/v3 parser_test.go, distribution/reference
// reference_test.go), so a rule that drifts from the API server's fails here.
import { describe, expect, it } from "vitest";
import * as rules from "../../scripts/validate/semantic/index.ts";

type Rule = (v: never) => string | undefined;
const TABLES: Record<string, { rule: Rule; accepted: unknown[]; rejected: unknown[] }> = {
  // validation_test.go TestIsDNS1123Label
  dns1123Label: {
    rule: rules.dns1123Label as Rule,
    accepted: ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "a".repeat(63)],
    rejected: ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a", "a b", "1 ", " 1", "1 2", "a".repeat(64), "My_Env!"],
  },
  // validation_test.go TestIsDNS1123Subdomain
  dns1123Subdomain: {
    rule: rules.dns1123Subdomain as Rule,
    accepted: ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "a.a", "ab.a", "abc.a", "a1.a", "a-1.a", "a--1--2--b.a", "a.1", "ab.1", "abc.1", "a1.1", "a-1.1", "a--1--2--b.1", "0.a", "01.a", "012.a", "1a.a", "1-a.a", "1--a--b--2", "0.1", "01.1", "012.1", "1a.1", "1-a.1", "1--a--b--2.1", "a.b.c.d.e", "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55", "a".repeat(253), "gp3", "mcp-stack-eks"],
    rejected: ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a..b", "1.", ".1", "1..2", " ", "a ", " a", "a b", "1 ", " 1", "1 2", "A.a", "aB.a", "ab.A", "A1.a", "a1.A", "A.1", "aB.1", "A1.1", "1A.1", "0.A", "01.A", "012.A", "1A.a", "1a.A", "A.B.C.D.E", "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee", "a@b", "a,b", "a_b", "a;b", "a:b", "a%b", "a?b", "a$b", "a".repeat(254), "GP3 Fast!", "mcp-stack-My_Env!"],
  },
  // validation_test.go TestIsDNS1035Label
  dns1035Label: {
    rule: rules.dns1035Label as Rule,
    accepted: ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "a".repeat(63)],
    rejected: ["0", "01", "012", "1a", "1-a", "1--a--b--2", "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "a".repeat(64)],
  },
  // validation_test.go TestIsQualifiedName
  qualifiedName: {
    rule: rules.qualifiedName as Rule,
    accepted: ["simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple", "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple", "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "requests.storage-foo", "a".repeat(63), "a".repeat(253) + "/" + "b".repeat(63)],
    rejected: ["nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash", "Example.com/abc", "example_com/abc", "example.com/", "/simple", "a".repeat(64), "a".repeat(254) + "/abc"],
  },
  // validation_test.go TestIsValidLabelValue
  labelValue: {
    rule: rules.labelValue as Rule,
    accepted: ["simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "A", "AB", "AbC", "a".repeat(63), ""],
    rejected: ["nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad", "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", "a".repeat(64)],
  },
  // objectmeta.go ValidateAnnotations: keys lowercased, then IsQualifiedName
  annotationKey: {
    rule: rules.annotationKey as Rule,
    accepted: ["team", "eks.amazonaws.com/role-arn", "Example.com/abc", "a.b/C_d"],
    rejected: ["", "has space", "a/b/c", "-dash", "trailing-", "/x", "x/"],
  },
  // validation_test.go TestIsEnvVarName
  envVarName: {
    rule: rules.envVarName as Rule,
    accepted: ["A", "ABC", "AbC_123", "_", "a", "a-b", "a.b", "a-1.b_c", "-", ".", "-.-.-", "MCPGATEWAY_SKIP_MIGRATIONS"],
    rejected: ["", "1", "123", "1abc", "a b", "a=b", "a$b", "ü"],
  },
  // validation_test.go TestIsConfigMapKey
  configMapKey: {
    rule: rules.configMapKey as Rule,
    accepted: ["a", "good", "good_key", "good-key", "good.key", "good.key_with-dashes", "redis.conf", "a".repeat(253)],
    rejected: ["", ".", "..", "..bad", "b*d", "bad!&bad", "a".repeat(254)],
  },
  // validation_test.go TestIsValidPortNum
  portNumber: {
    rule: rules.portNumber as Rule,
    accepted: [1, 2, 1000, 16384, 32768, 65535],
    rejected: [0, -1, 65536, 100000, 1.5],
  },
  // validation_test.go TestIsValidPortName
  portName: {
    rule: rules.portName as Rule,
    accepted: ["telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3", "http", "metrics"],
    rejected: ["longerthan15characters", "", "12345", "1-2-3-4", "-begin", "end-", "two--hyphens", "whois++"],
  },
  // validation_test.go TestIsValidIP (strict parsing)
  ipAddress: {
    rule: rules.ipAddress as Rule,
    accepted: ["::1", "2a00:79e0:2:0:f1c3:e797:93c1:df80", "::", "2001:4860:4860::8888", "::fff:1.1.1.1", "1.1.1.1", "1.1.1.01".slice(0, 7), "255.0.0.1", "1.0.0.0", "0.0.0.0"],
    rejected: ["", "a", "myhost.mydomain", "-1.0.0.0", "[2001:db8:0:1]:80", "1.1.1.01", "001.002.003.004", "1.2.3.256", "2001:db8::1::2"],
  },
  // validation_test.go TestIsValidCIDR
  cidr: {
    rule: rules.cidr as Rule,
    accepted: ["0.0.0.0/0", "10.0.0.0/16", "10.0.0.0/8", "192.168.0.0/24", "::/0", "2001:db8::/64", "fd00::/8", "10.0.0.0/32", "::1/128"],
    rejected: ["", "1.2.3.4", "1.2.3.4/", "1.2.3.4/a", "10.0.0.0/33", "2001:db8::/129", "010.0.0.0/8", "10.0.0.0/08", "not-a-cidr", "10.0.0/8"],
  },
  // Ingress host: IsDNS1123Subdomain or IsWildcardDNS1123Subdomain, not an IP (networking validation)
  ingressHost: {
    rule: rules.ingressHost as Rule,
    accepted: ["mcp.example.com", "gateway.local", "*.example.com", "a"],
    rejected: ["1.2.3.4", "*", "*.", "a.*.com", "Mcp.Example.com", "host:80", "under_score.example.com"],
  },
  // quantity_test.go TestQuantityParse (valid and invalid table)
  quantity: {
    rule: rules.quantity as Rule,
    accepted: ["0", "0n", "0u", "0m", "0Ki", "0k", "0Mi", "0M", "0Gi", "0G", "0Ti", "0T", "1", "1n", "1m", "1Ki", "1k", "1e3", "1E3", "1e-3", "5Gi", "768Mi", "500m", "0.5", ".5", "1.", "+1", "-1", "1.5Gi", "12E"],
    rejected: ["", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".", "1.4Bi", "1.4mi", "1e3m", "1 Gi", "1GB", "5gi", "Gi"],
  },
  // batch validation_test.go (CronJob schedules) and robfig/cron/v3 parser_test.go
  cronSchedule: {
    rule: rules.cronSchedule as Rule,
    accepted: ["* * * * *", "15 2 * * *", "0 */6 * * *", "0 0 1 1 *", "*/15 * * * *", "0 9-17 * * MON-FRI", "0 0 * JAN,JUL sun", "5,10,15 0 1-31/2 * 0-6", "? * * * *", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "@every 1h30m", "@every 5m", "0 0 29 2 *"],
    rejected: ["", "every day", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * 32 * *", "* * * 13 *", "* * * * 7", "*/0 * * * *", "5-1 * * * *", "@reboot", "@every", "@every 1x", "TZ=UTC 0 0 * * *", "CRON_TZ=Etc/UTC 0 0 * * *", "1/2/3 * * * *", "a * * * *", "0 0 * FOO *"],
  },
  // batch validation_test.go (CronJob timeZone): loadable IANA names, not Local, not offsets
  timeZone: {
    rule: rules.timeZone as Rule,
    accepted: ["Etc/UTC", "UTC", "Europe/Berlin", "America/New_York", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "Etc/GMT+5", "US/Eastern", "America/Port-au-Prince", "Europe/Kyiv"],
    rejected: ["", "Local", "local", "Mars/Olympus", "+05:00", "europe/berlin", "Continent/Zone", "America/New York", "UTC+1"],
  },
  // distribution/reference reference_test.go and normalize_test.go
  imageReference: {
    rule: rules.imageReference as Rule,
    accepted: ["test_com", "test.com:tag", "test.com:5000", "test.com/repo:tag", "test:5000/repo", "test:5000/repo:tag", "test:5000/repo@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "test:5000/repo:tag@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "lowercase:Uppercase", "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com/bar/baz/quux:some-long-tag", "b.gcr.io/test.example.com/my-app:test.example.com", "xn--n3h.com/myimage:xn--n3h.com", "Uppercase.com/lowercase:tag", "localhost:5000/a/b__c", "[2001:db8::1]:5000/repo", "ghcr.io/ibm/mcp-context-forge:v1.0.8", "docker.io/library/postgres:17", "a/b-c_d.e"],
    rejected: ["", " test", "test ", ":justtag", "@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "repo@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffxx", "validname@invalid:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "Uppercase:tag", "test:5000/Uppercase/lowercase:tag", "a" + "/a".repeat(128), "aa/asdf$$^/aa", "ghcr.io/IBM/Mcp Context Forge", "ghcr.io/IBM/mcp-context-forge:v1", "a/-b", "a/b-", "a//b", "a/b_-c", "repo:" + "t".repeat(129)],
  },
};

describe.each(Object.entries(TABLES))("%s", (_, { rule, accepted, rejected }) => {
  it.each(accepted.map((v) => [JSON.stringify(v), v]))("accepts %s", (_, v) => {
    expect(rule(v as never)).toBeUndefined();
  });
  it.each(rejected.map((v) => [JSON.stringify(v), v]))("rejects %s", (_, v) => {
    expect(rule(v as never)).toEqual(expect.any(String));
  });
});

describe("special messages", () => {
  it("names the lowercase rule for an uppercase repository, as reference.ParseNormalizedNamed does", () => {
    expect(rules.imageReference("ghcr.io/IBM/mcp-context-forge:v1")).toBe("repository name must be lowercase");
  });
  it("names the CronJob timeZone field when the schedule carries TZ", () => {
    expect(rules.cronSchedule("TZ=UTC 0 0 * * *")).toMatch(/use timeZone field/);
  });
  it("compares quantities across suffixes", () => {
    expect(rules.quantityValue("1Gi")).toBe(2 ** 30);
    expect(rules.quantityValue("500m")).toBe(0.5);
    expect(rules.quantityValue("1e3")).toBe(1000);
  });
});

describe("semanticProblems on rendered objects", () => {
  it("finds every kind of problem with a JSON pointer and the rule", () => {
    const problems = rules.semanticProblems({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "Bad_Name", namespace: "My_Env!", labels: { "bad key!": "ok", ok: "-bad" }, annotations: { "a/b/c": "x" } },
      spec: {
        selector: { matchLabels: { app: "x" } },
        template: {
          metadata: { labels: { app: "x" } },
          spec: {
            containers: [
              { name: "c", image: "ghcr.io/IBM/Mcp Context Forge", env: [{ name: "1BAD", value: "x" }], ports: [{ containerPort: 70000, name: "http" }], resources: { requests: { cpu: "2" }, limits: { cpu: "1", memory: "lots" } } },
            ],
          },
        },
      },
    });
    expect(problems.map((p) => `${p.path} ${p.rule}`)).toEqual([
      "/metadata/name dns1123-subdomain",
      "/metadata/namespace dns1123-label",
      "/metadata/labels/bad key! label-key",
      "/metadata/labels/ok label-value",
      "/metadata/annotations/a~1b~1c annotation-key",
      "/spec/template/spec/containers/0/image image-reference",
      "/spec/template/spec/containers/0/ports/0/containerPort port-number",
      "/spec/template/spec/containers/0/env/0/name env-var-name",
      "/spec/template/spec/containers/0/resources/limits/memory quantity",
      "/spec/template/spec/containers/0/resources/requests/cpu request-within-limit",
    ]);
  });

  it("checks CronJob schedules and zones, NetworkPolicy CIDRs, claims' StorageClass names and Ingress hosts", () => {
    const rule = (o: unknown) => rules.semanticProblems(o).map((p) => `${p.path} ${p.rule}`);
    expect(rule({ kind: "CronJob", metadata: { name: "b" }, spec: { schedule: "every day", timeZone: "Mars/Olympus", jobTemplate: { spec: { template: { spec: { containers: [] } } } } } })).toEqual([
      "/spec/schedule cron-schedule",
      "/spec/timeZone time-zone",
    ]);
    expect(rule({ kind: "NetworkPolicy", metadata: { name: "n" }, spec: { egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/33" } }], ports: [{ port: 443 }] }] } })).toEqual(["/spec/egress/0/to/0/ipBlock/cidr cidr"]);
    expect(rule({ kind: "PersistentVolumeClaim", metadata: { name: "p" }, spec: { storageClassName: "GP3 Fast!", resources: { requests: { storage: "5Gi" } } } })).toEqual(["/spec/storageClassName storage-class-name"]);
    expect(rule({ kind: "PersistentVolumeClaim", metadata: { name: "p" }, spec: { storageClassName: "" } })).toEqual([]);
    expect(rule({ kind: "Ingress", metadata: { name: "i" }, spec: { rules: [{ host: "Bad Host" }] } })).toEqual(["/spec/rules/0/host ingress-host"]);
    expect(rule({ kind: "Application", metadata: { name: "mcp-stack-My_Env!" } })).toEqual(["/metadata/name dns1123-subdomain", "/metadata/name label-value"]);
    expect(rule({ kind: "Service", metadata: { name: "1svc" }, spec: { ports: [{ port: 0, targetPort: "http" }] } })).toEqual(["/metadata/name dns1035-label", "/spec/ports/0/port port-number"]);
  });
});
