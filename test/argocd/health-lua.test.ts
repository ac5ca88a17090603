// The Argo CD health customizations the README ships (scripts/stack/argocd-health.ts), run with a real Lua the way
// Argo CD runs them (argoproj/argo-cd util/lua/lua.go runLuaWithResourceActionParameters): the object as the global
// `obj`, only the base, table and (safe) os libraries, no `string` library, and the returned table read as
// { status, message }. The objects go to Lua as table literals serialised from JSON; every case runs in one Lua
// process (one spawn). Without lua5.4 the suite is skipped, saying so; .ci/run installs it.
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { HTTPROUTE_HEALTH, INGRESS_HEALTH, healthPatchBlock, type HealthCustomization } from "../../scripts/stack/argocd-health.ts";

const LUA = ["/usr/bin/lua5.4", "/usr/local/bin/lua5.4"].find((p) => fs.existsSync(p));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A Lua literal for a JSON value (null is nil, as Argo CD's decodeValue makes it). */
export function luaLiteral(v: Json): string {
  if (v === null) return "nil";
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "nil";
  if (typeof v === "string") return `"${[...Buffer.from(v, "utf8")].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${String(b).padStart(3, "0")}`)).join("")}"`;
  if (Array.isArray(v)) return `{${v.map(luaLiteral).join(", ")}}`;
  return `{${Object.entries(v).map(([k, x]) => `[${luaLiteral(k)}] = ${luaLiteral(x)}`).join(", ")}}`;
}

interface Case {
  name: string;
  obj: Json;
  status: "Healthy" | "Degraded" | "Progressing";
  message?: RegExp;
}

/**
 * Runs one customization against every case in one Lua process: each case loads the script afresh with its own
 * environment (Argo CD opens a new LState per call), the string metatable's methods hidden as gopher-lua has none.
 */
function runAll(h: HealthCustomization, cases: Case[]): { status: string; message: string; error?: string }[] {
  const program = `
local script = ${luaLiteral(h.lua)}
local cases = {${cases.map((c) => luaLiteral(c.obj)).join(",\n")}}
local stringMeta = getmetatable("")
local savedIndex = stringMeta.__index
for i, object in ipairs(cases) do
  local env = { obj = object, ipairs = ipairs, pairs = pairs, next = next, type = type, tostring = tostring, tonumber = tonumber,
    select = select, error = error, pcall = pcall, assert = assert, rawget = rawget, rawset = rawset, rawequal = rawequal,
    setmetatable = setmetatable, getmetatable = getmetatable, unpack = table.unpack, table = table, print = print,
    os = { time = os.time, date = os.date, clock = os.clock, difftime = os.difftime } }
  stringMeta.__index = nil
  local fn, err = load(script, "=health.lua", "t", env)
  local ok, hs
  if fn then ok, hs = pcall(fn) else ok, hs = false, err end
  stringMeta.__index = savedIndex
  if not ok then
    io.write("error\\t", tostring(hs):gsub("[\\t\\n]", " "), "\\n")
  elseif type(hs) ~= "table" then
    io.write("error\\treturned ", type(hs), "\\n")
  else
    io.write(tostring(hs.status), "\\t", tostring(hs.message or ""):gsub("[\\t\\n]", " "), "\\n")
  end
end
`;
  const out = execFileSync(LUA!, ["-"], { input: program, encoding: "utf8" });
  return out.trimEnd().split("\n").map((line) => {
    const [status = "", message = ""] = line.split("\t");
    return status === "error" ? { status, message: "", error: message } : { status, message };
  });
}

const condition = (type: string, status: string, observedGeneration?: number, reason = type, message = "") => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: "2026-03-01T00:00:00Z",
  ...(observedGeneration === undefined ? {} : { observedGeneration }),
});
const ok = (generation?: number) => [condition("Accepted", "True", generation), condition("ResolvedRefs", "True", generation)];
const ref = (name: string, sectionName?: string, namespace?: string) => ({
  group: "gateway.networking.k8s.io",
  kind: "Gateway",
  name,
  ...(namespace ? { namespace } : {}),
  ...(sectionName ? { sectionName } : {}),
});
const parent = (parentRef: Json, conditions: Json[]) => ({ parentRef, controllerName: "gateway.envoyproxy.io/gatewayclass-controller", conditions });

function route(parentRefs: Json[], parents: Json[] | undefined, generation: number | undefined = 2): Json {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: "mcp-gateway", namespace: "mcp", ...(generation === undefined ? {} : { generation }) },
    spec: { parentRefs, hostnames: ["mcp.example.com"], rules: [{ backendRefs: [{ group: "", kind: "Service", name: "mcp-gateway", port: 80 }] }] },
    ...(parents === undefined ? {} : { status: { parents } }),
  };
}

const https = ref("mcp-stack", "https");
const platform = ref("platform", "websecure", "infra");

const HTTPROUTE_CASES: Case[] = [
  { name: "no status yet", obj: route([https], undefined), status: "Progressing", message: /waiting for a Gateway controller/ },
  { name: "status with no parents", obj: route([https], []), status: "Progressing" },
  { name: "one parent, Accepted and ResolvedRefs True at the current generation", obj: route([https], [parent(https, ok(2))]), status: "Healthy", message: /every parent Accepted/ },
  {
    name: "Accepted False: Degraded with the parent, reason and message",
    obj: route([https], [parent(https, [condition("Accepted", "False", 2, "NotAllowedByListeners", "no listener admits the route"), condition("ResolvedRefs", "True", 2)])]),
    status: "Degraded",
    message: /^mcp-stack\/https: Accepted False \(NotAllowedByListeners\) no listener admits the route$/,
  },
  {
    name: "ResolvedRefs False (a backend Service that does not exist)",
    obj: route([https], [parent(https, [condition("Accepted", "True", 2), condition("ResolvedRefs", "False", 2, "BackendNotFound", "service mcp/mcp-gateway not found")])]),
    status: "Degraded",
    message: /ResolvedRefs False \(BackendNotFound\)/,
  },
  { name: "Accepted True, ResolvedRefs missing", obj: route([https], [parent(https, [condition("Accepted", "True", 2)])]), status: "Progressing", message: /waiting for Accepted and ResolvedRefs/ },
  { name: "Accepted Unknown", obj: route([https], [parent(https, [condition("Accepted", "Unknown", 2, "Pending"), condition("ResolvedRefs", "True", 2)])]), status: "Progressing" },
  { name: "a parent with no conditions", obj: route([https], [parent(https, [])]), status: "Progressing" },
  { name: "two parents, both Accepted and resolved", obj: route([https, platform], [parent(https, ok(2)), parent(platform, ok(2))]), status: "Healthy" },
  { name: "two parents, the second not reported on yet", obj: route([https, platform], [parent(https, ok(2))]), status: "Progressing", message: /^platform\/websecure: waiting for a Gateway controller to report on the route$/ },
  {
    name: "two parents, the second refuses the route (Degraded wins over another parent's wait)",
    obj: route([ref("pending", "https"), platform], [parent(platform, [condition("Accepted", "False", 2, "NotAllowedByListeners"), condition("ResolvedRefs", "True", 2)])]),
    status: "Degraded",
    message: /^platform\/websecure: Accepted False/,
  },
  { name: "stale observedGeneration: True at generation 1, the route at 2", obj: route([https], [parent(https, ok(1))]), status: "Progressing", message: /not yet observed for generation 2/ },
  {
    name: "stale False (the previous generation failed) is not Degraded: the controller has not seen the fix yet",
    obj: route([https], [parent(https, [condition("Accepted", "False", 1, "NoMatchingParent"), condition("ResolvedRefs", "True", 1)])]),
    status: "Progressing",
  },
  {
    name: "one condition stale, the other current: the entry is stale",
    obj: route([https], [parent(https, [condition("Accepted", "True", 2), condition("ResolvedRefs", "True", 1)])]),
    status: "Progressing",
  },
  {
    name: "an entry left behind for a removed parentRef (Envoy Gateway keeps it) beside the current one",
    obj: route([https], [parent(ref("mcp-stack", "old-listener"), [condition("Accepted", "False", 1, "NoMatchingParent"), condition("ResolvedRefs", "True", 1)]), parent(https, ok(2))]),
    status: "Healthy",
  },
  {
    name: "several parents across generations: one current and True, one stale",
    obj: route([https, platform], [parent(https, ok(2)), parent(platform, ok(1))]),
    status: "Progressing",
    message: /^platform\/websecure: status not yet observed for generation 2$/,
  },
  { name: "the status names the route's namespace that the spec leaves implicit", obj: route([https], [parent(ref("mcp-stack", "https", "mcp"), ok(2))]), status: "Healthy" },
  { name: "a parent in another namespace is not the same parent", obj: route([https], [parent(ref("mcp-stack", "https", "other"), ok(2))]), status: "Progressing" },
  { name: "no generation in metadata: conditions are taken as they are", obj: route([https], [parent(https, ok(7))], undefined), status: "Healthy" },
  { name: "conditions without observedGeneration", obj: route([https], [parent(https, ok())]), status: "Healthy" },
  { name: "a route that names no parent", obj: route([], []), status: "Degraded", message: /names no parent/ },
  {
    name: "Programmed False (an implementation that sets it) waits",
    obj: route([https], [parent(https, [...ok(2), condition("Programmed", "False", 2, "Pending", "data plane not ready")])]),
    status: "Progressing",
    message: /^mcp-stack\/https: Programmed False \(Pending\) data plane not ready$/,
  },
];

/**
 * Argo CD's own HTTPRoute test cases (fixtures/argo-cd-httproute, ORIGIN.md): the same verdicts, except where the
 * fixture's spec names a listener its status does not report on for the current generation.
 */
const ARGO_FIXTURES = new URL("./fixtures/argo-cd-httproute/", import.meta.url);
const argoTests = (parse(fs.readFileSync(new URL("health_test.yaml", ARGO_FIXTURES), "utf8")) as { tests: { inputPath: string; healthStatus: { status: Case["status"] } }[] }).tests;
const ARGO_DIFFERS: Record<string, Case["status"]> = {
  // spec.parentRefs names sectionName foo-nonexistent, whose only status entry is of generation 1 (the route is at 2):
  // Argo CD ignores the stale entry and takes another listener's current one; this script waits for the named one.
  "testdata/healthy_multiple_generations.yaml": "Progressing",
};
const ARGO_CASES: Case[] = argoTests.map((t) => ({
  name: `argo-cd ${t.inputPath} (Argo CD: ${t.healthStatus.status})`,
  obj: parse(fs.readFileSync(new URL(t.inputPath.replace(/^testdata\//, ""), ARGO_FIXTURES), "utf8")) as Json,
  status: ARGO_DIFFERS[t.inputPath] ?? t.healthStatus.status,
}));

const ingress = (annotations: Record<string, string> | undefined, lbIngress?: Json[]): Json => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name: "mcp-gateway", namespace: "mcp", ...(annotations ? { annotations } : {}) },
  spec: { rules: [{ host: "mcp.example.com" }] },
  ...(lbIngress === undefined ? {} : { status: { loadBalancer: { ingress: lbIngress } } }),
});

const INGRESS_CASES: Case[] = [
  { name: "not-published: Healthy without any status", obj: ingress({ "mcp-stack.dev/load-balancer-status": "not-published" }), status: "Healthy", message: /publishes no load balancer status/ },
  { name: "another annotation value keeps Argo CD's rule", obj: ingress({ "mcp-stack.dev/load-balancer-status": "published" }), status: "Progressing" },
  { name: "no annotations, no status", obj: ingress(undefined), status: "Progressing", message: /status\.loadBalancer/ },
  { name: "an IP published", obj: ingress(undefined, [{ ip: "203.0.113.7" }]), status: "Healthy" },
  { name: "a hostname published (an ALB)", obj: ingress(undefined, [{ hostname: "k8s-mcp-1234.eu-west-1.elb.amazonaws.com" }]), status: "Healthy" },
  { name: "empty entries only", obj: ingress(undefined, [{ ip: "" }, { hostname: "" }]), status: "Progressing" },
  { name: "an empty list", obj: ingress(undefined, []), status: "Progressing" },
];

const SUITES: [string, HealthCustomization, Case[]][] = [
  ["HTTPRoute", HTTPROUTE_HEALTH, HTTPROUTE_CASES],
  ["HTTPRoute on Argo CD's own test cases", HTTPROUTE_HEALTH, ARGO_CASES],
  ["Ingress", INGRESS_HEALTH, INGRESS_CASES],
];

if (!LUA) {
  describe.skip("Argo CD health customizations in Lua: skipped, lua5.4 is not installed (.ci/run installs it)", () => {
    it("runs them", () => {});
  });
}

describe.runIf(Boolean(LUA))("Argo CD health customizations, run with real Lua as Argo CD runs them", () => {
  describe.each(SUITES)("%s", (_kind, h, cases) => {
    const results = runAll(h, cases);
    it.each(cases.map((c, i) => [c.name, c, i] as const))("%s", (_name, c, i) => {
      const r = results[i]!;
      expect(r.error).toBeUndefined();
      expect(r.status).toBe(c.status);
      if (c.message) expect(r.message).toMatch(c.message);
    });
  });

  it("the sandbox is Argo CD's: a script using the string library fails there, and so here", () => {
    const [r] = runAll({ key: "x", lua: 'hs = { status = string.upper("healthy") }\nreturn hs' }, [{ name: "string", obj: {}, status: "Healthy" }]);
    expect(r!.error).toMatch(/string/);
    const [m] = runAll({ key: "x", lua: 'hs = { status = ("Healthy"):lower() }\nreturn hs' }, [{ name: "method", obj: {}, status: "Healthy" }]);
    expect(m!.error).toBeDefined();
  });
});

describe("the shipped scripts", () => {
  it("Argo CD's test cases are all here (five HTTPRoutes)", () => expect(ARGO_CASES.map((c) => c.status)).toEqual(["Healthy", "Degraded", "Degraded", "Progressing", "Progressing"]));

  it.each(SUITES)("%s: Lua 5.1 syntax only (Argo CD's gopher-lua), no string library", (_kind, h) => {
    const code = h.lua.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/--.*$/gm, "");
    expect(code).not.toMatch(/\/\/|<const>|<close>|[&|]|<<|>>|~(?!=)|\bstring\.|:\w+\(/);
  });

  it.each(SUITES)("%s: README shows exactly this script, under its argocd-cm key", (_kind, h) => {
    const readme = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const block = healthPatchBlock(h, "").split("\n").slice(2).join("\n"); // from "data:" on
    expect(readme).toContain(block);
  });
});
