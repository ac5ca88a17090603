// Message texts as kubeconform 0.7.0 (santhosh-tekuri/jsonschema v6) words them, each expected text
// recorded from kubeconform on fixtures/messages/: v6's error tree (a value with several errors is
// "validation failed" with them as causes, the root's group flattened, additional properties after
// the properties' own errors), a failed type hiding the value's other keywords, Go's %q quoting, and
// float keys spelled as sigs.k8s.io/yaml spells them.
import { describe, expect, it } from "vitest";
import { validatePaths } from "../../packages/validate/src/index.ts";
import { quote } from "../../packages/validate/src/messages.ts";
import { goFloatKey } from "../../packages/validate/src/decode.ts";
import { fixture, testCacheDir } from "./helpers.ts";

const location = `${fixture("messages")}/{{.ResourceKind}}-{{.ResourceAPIVersion}}.json`;
const HEAD = "problem validating schema. Check JSON formatting: jsonschema validation failed with '@W#'";

/** kubeconform's [name, msg, validationErrors] for each document of fixtures/messages/widgets.yaml. */
const RECORDED: [string, string, { path: string; msg: string }[]][] = [
  ["w", `${HEAD} - at '/mode': got array, want string`, [{ path: "/mode", msg: "got array, want string" }]],
  [
    "w2",
    `${HEAD} - at '/mode': value must be one of 'A', 'B' - at '/name': 'it\\'s\\tbad\\n' does not match pattern '^[a-z]+\\\\.x$'`,
    [{ path: "/mode", msg: "value must be one of 'A', 'B'" }, { path: "/name", msg: "'it\\'s\\tbad\\n' does not match pattern '^[a-z]+\\\\.x$'" }],
  ],
  [
    "w3",
    `${HEAD} - at '/spec': missing property 'size' - at '/spec/items': validation failed   - at '/spec/items/0': additional properties 'false' not allowed   - at '/spec/items/1': additional properties 'false', 'm' not allowed - at '/spec': additional properties 'extra' not allowed`,
    [{ path: "/spec", msg: "missing property 'size'" }, { path: "/spec/items", msg: "validation failed" }, { path: "/spec", msg: "additional properties 'extra' not allowed" }],
  ],
  // kubeconform lists these three in Go's map order (it changes between runs): compared sorted
  ["w4", `${HEAD} - at '/metadata': additional properties '.inf', '1e+07', '3.1415927' not allowed - at '/spec/items/0': additional properties 'false' not allowed`, [{ path: "/metadata", msg: "additional properties '.inf', '1e+07', '3.1415927' not allowed" }, { path: "/spec/items/0", msg: "additional properties 'false' not allowed" }]],
];

const sortNames = (msg: string) => msg.replace(/additional properties ((?:'[^']*'(?:, )?)+) not allowed/g, (_m, list: string) => `additional properties ${list.split(", ").sort().join(", ")} not allowed`);

describe("message texts (recorded from kubeconform 0.7.0)", () => {
  it("v6's error tree, type errors alone, Go quoting, float keys", async () => {
    const report = await validatePaths([fixture("messages/widgets.yaml")], { schemaLocations: [location], cacheDir: testCacheDir, workers: 1 });
    const got = report.resources.map((r) => [r.name, sortNames(r.msg.replace(/file:\/\/\S+widget-v1\.json#/, "@W#")), r.validationErrors?.map((e) => ({ path: e.path, msg: sortNames(e.msg) }))]);
    expect(got).toEqual(RECORDED);
  });

  it("quotes as v6 does: Go's %q, double quotes kept, single quotes escaped", () => {
    expect(quote("plain")).toBe("'plain'");
    expect(quote("it's")).toBe("'it\\'s'");
    expect(quote('say "hi"')).toBe(`'say "hi"'`);
    expect(quote("a\u0000b\u0007\u001b")).toBe("'a\\x00b\\a\\x1b'");
    expect(quote("tab\tnl\ncr\r")).toBe("'tab\\tnl\\ncr\\r'");
    expect(quote("é😀")).toBe("'é😀'");
    expect(quote("\u00a0\ufeff\u2028")).toBe("'\\u00a0\\ufeff\\u2028'");
    expect(quote("back\\slash")).toBe("'back\\\\slash'");
  });

  it("float keys as strconv.FormatFloat(f, 'g', -1, 32)", () => {
    expect([1.5, 1000, 1e6, 1234567, 123456, 0.0001, 0.00001, 3.14159265358979, -2.5, 1e39, 1e21, Infinity, -Infinity, NaN].map(goFloatKey)).toEqual([
      "1.5", "1000", "1e+06", "1.234567e+06", "123456", "0.0001", "1e-05", "3.1415927", "-2.5", ".inf", "1e+21", ".inf", "-.inf", ".nan",
    ]);
  });
});
