// The policy configuration file: exemptions by kind/name/namespace/overlay (each with a required reason),
// per-profile severity and parameter changes, and rules instantiated from templates. Any mistake is an
// input error naming the file and the key path.
import { load } from "js-yaml";
import { fileErrorReason, PolicyInputError as InputError } from "./errors.ts";
import { asString, isRecord } from "./helpers.ts";
import { instantiate, TEMPLATES } from "./templates.ts";
import type { Rule, SeverityOrOff } from "./types.ts";
const fs = process.getBuiltinModule("node:fs");

export interface ConfigContext {
  rules: readonly Rule[];
  profileNames: readonly string[];
}

export interface ConfigExemption {
  rule: string;
  kind?: string;
  name?: string;
  namespace?: string;
  overlay?: string;
  reason: string;
  /** Where the entry is written, for messages ("exemptions[2]"). */
  key: string;
}

export interface PolicyConfig {
  exemptions: ConfigExemption[];
  /** profile name → rule id → severity. */
  profiles: Record<string, Record<string, SeverityOrOff>>;
  /** profile name → rule id → parameter → value. */
  parameters: Record<string, Record<string, Record<string, unknown>>>;
  /** Rules the configuration instantiates from templates. */
  rules: Rule[];
}

export const EMPTY_CONFIG: PolicyConfig = { exemptions: [], profiles: {}, parameters: {}, rules: [] };

const EXEMPTION_KEYS = new Set(["rule", "kind", "name", "namespace", "overlay", "reason"]);
const SEVERITIES = new Set(["error", "warning", "info", "off"]);

export function loadConfig(file: string, context: ConfigContext): PolicyConfig {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new InputError(`cannot read policy configuration: ${fileErrorReason(err)}`, { file, expected: "a readable YAML file" });
  }
  let doc: unknown;
  try {
    doc = load(raw, { filename: file });
  } catch (err) {
    throw new InputError(`invalid YAML: ${(err as Error).message.split("\n")[0]}`, { file });
  }
  return parseConfig(doc ?? {}, file, context);
}

export function parseConfig(doc: unknown, file: string, context: ConfigContext): PolicyConfig {
  const profileNames = context.profileNames;
  const ruleById = new Map(context.rules.map((r) => [r.id, r]));
  const templateRules = parseTemplateRules(doc, file, ruleById);
  for (const r of templateRules) ruleById.set(r.id, r);
  const ruleIds = new Set(ruleById.keys());
  const fail = (keyPath: string, message: string, expected?: string): never => {
    throw new InputError(message, { file, path: keyPath, expected });
  };
  if (!isRecord(doc)) fail("", "policy configuration must be a mapping");
  const top = doc as Record<string, unknown>;
  for (const k of Object.keys(top)) {
    if (k !== "exemptions" && k !== "profiles" && k !== "rules") fail(k, `unknown key "${k}"`, "exemptions, profiles or rules");
  }

  const exemptions: ConfigExemption[] = [];
  const list = top.exemptions ?? [];
  if (!Array.isArray(list)) fail("exemptions", "must be a list");
  (list as unknown[]).forEach((entry, i) => {
    const at = `exemptions[${i}]`;
    if (!isRecord(entry)) fail(at, "must be a mapping");
    const e = entry as Record<string, unknown>;
    for (const k of Object.keys(e)) {
      if (!EXEMPTION_KEYS.has(k)) fail(`${at}.${k}`, `unknown key "${k}"`, [...EXEMPTION_KEYS].join(", "));
      if (typeof e[k] !== "string") fail(`${at}.${k}`, "must be a string");
    }
    const rule = asString(e.rule);
    if (!rule) fail(`${at}.rule`, "an exemption must name a rule");
    if (rule && !/[*?]/.test(rule) && !ruleIds.has(rule)) fail(`${at}.rule`, `unknown rule "${rule}"`);
    const reason = asString(e.reason)?.trim();
    if (!reason) fail(`${at}.reason`, "an exemption needs a reason", "a non-empty string");
    exemptions.push({
      rule: rule as string,
      kind: asString(e.kind),
      name: asString(e.name),
      namespace: asString(e.namespace),
      overlay: asString(e.overlay),
      reason: reason as string,
      key: at,
    });
  });

  const profiles: PolicyConfig["profiles"] = {};
  const parameters: PolicyConfig["parameters"] = {};
  const rawProfiles = top.profiles ?? {};
  if (!isRecord(rawProfiles)) fail("profiles", "must be a mapping of profile name to rule severities");
  for (const [profile, rules] of Object.entries(rawProfiles as Record<string, unknown>)) {
    if (!profileNames.includes(profile)) fail(`profiles.${profile}`, `unknown profile "${profile}"`, profileNames.join(", "));
    if (!isRecord(rules)) fail(`profiles.${profile}`, "must be a mapping of rule id to severity or to { severity, <parameter>: value }");
    profiles[profile] = {};
    parameters[profile] = {};
    for (const [rule, setting] of Object.entries(rules as Record<string, unknown>)) {
      const at = `profiles.${profile}.${rule}`;
      if (!ruleIds.has(rule)) fail(at, `unknown rule "${rule}"`);
      const { severity, ...params } = isRecord(setting) ? setting : { severity: setting };
      if (severity !== undefined) {
        if (typeof severity !== "string" || !SEVERITIES.has(severity)) fail(isRecord(setting) ? `${at}.severity` : at, `invalid severity ${JSON.stringify(severity)}`, "error, warning, info or off");
        profiles[profile]![rule] = severity as SeverityOrOff;
      }
      const declared = ruleById.get(rule)?.parameters ?? {};
      for (const [name, value] of Object.entries(params)) {
        const spec = declared[name];
        if (!spec) fail(`${at}.${name}`, `rule ${rule} has no parameter "${name}"`, Object.keys(declared).length ? ["severity", ...Object.keys(declared)].join(", ") : "severity");
        if (!sameType(spec!.default, value)) fail(`${at}.${name}`, `must be ${typeName(spec!.default)}`);
      }
      if (Object.keys(params).length > 0) parameters[profile]![rule] = params;
    }
  }
  return { exemptions, profiles, parameters, rules: templateRules };
}

const RULE_KEYS = new Set(["id", "template", "severity", "category", "title", "rationale", "remediation", "parameters"]);
const RULE_SEVERITIES = new Set(["error", "warning", "info"]);

/** `rules:` entries: new rules instantiated from templates, each with an id, a template and its parameters. */
function parseTemplateRules(doc: unknown, file: string, existing: ReadonlyMap<string, Rule>): Rule[] {
  const fail = (keyPath: string, message: string, expected?: string): never => {
    throw new InputError(message, { file, path: keyPath, expected });
  };
  const list = isRecord(doc) ? (doc.rules ?? []) : [];
  if (!Array.isArray(list)) fail("rules", "must be a list of template instances");
  const out: Rule[] = [];
  (list as unknown[]).forEach((entry, i) => {
    const at = `rules[${i}]`;
    if (!isRecord(entry)) fail(at, "must be a mapping");
    const e = entry as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!RULE_KEYS.has(k)) fail(`${at}.${k}`, `unknown key "${k}"`, [...RULE_KEYS].join(", "));
    const id = asString(e.id);
    if (!id || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) fail(`${at}.id`, "a rule needs a kebab-case id", "e.g. required-label-owner");
    if (existing.has(id!) || out.some((r) => r.id === id)) fail(`${at}.id`, `rule "${id}" already exists`);
    const template = TEMPLATES[asString(e.template) ?? ""];
    if (!template) fail(`${at}.template`, `unknown template ${JSON.stringify(e.template)}`, Object.keys(TEMPLATES).join(", "));
    const severity = e.severity ?? "warning";
    if (typeof severity !== "string" || !RULE_SEVERITIES.has(severity)) fail(`${at}.severity`, `invalid severity ${JSON.stringify(severity)}`, "error, warning or info");
    const params = e.parameters ?? {};
    if (!isRecord(params)) fail(`${at}.parameters`, "must be a mapping of parameter name to value");
    for (const [name, value] of Object.entries(params as Record<string, unknown>)) {
      const spec = template!.parameters[name];
      if (!spec) fail(`${at}.parameters.${name}`, `template ${template!.name} has no parameter "${name}"`, Object.keys(template!.parameters).join(", "));
      if (!sameType(spec!.default, value)) fail(`${at}.parameters.${name}`, `must be ${typeName(spec!.default)}`);
    }
    for (const [name, spec] of Object.entries(template!.parameters)) {
      if (spec.required && !(name in (params as Record<string, unknown>))) fail(`${at}.parameters.${name}`, `template ${template!.name} needs parameter "${name}"`, spec.description);
    }
    for (const k of ["title", "rationale", "remediation", "category"] as const) if (e[k] !== undefined && typeof e[k] !== "string") fail(`${at}.${k}`, "must be a string");
    out.push(
      instantiate(template!, {
        id: id!,
        title: asString(e.title) ?? `${template!.description} (${id})`,
        category: asString(e.category) ?? "metadata",
        severity: severity as "error" | "warning" | "info",
        rationale: asString(e.rationale) ?? `Configured in ${file}.`,
        remediation: asString(e.remediation) ?? template!.description,
        parameters: params as Record<string, unknown>,
      }),
    );
  });
  return out;
}

const typeName = (v: unknown) => (Array.isArray(v) ? "a list" : v === null ? "null" : `a ${typeof v}`);
const sameType = (a: unknown, b: unknown) => typeName(a) === typeName(b);

const globCache = new Map<string, RegExp>();
/** `*` and `?` globs; an absent pattern matches anything. */
export function globMatches(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  let re = globCache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${body}$`);
    globCache.set(pattern, re);
  }
  return re.test(value ?? "");
}

export function configExemptionFor(
  config: PolicyConfig,
  ruleId: string,
  target: { kind: string; name: string; namespace: string; overlay?: string },
): ConfigExemption | undefined {
  return config.exemptions.find(
    (e) =>
      globMatches(e.rule, ruleId) &&
      globMatches(e.kind, target.kind) &&
      globMatches(e.name, target.name) &&
      globMatches(e.namespace, target.namespace) &&
      // An exemption scoped to an overlay never applies to explicit files (no overlay).
      (e.overlay === undefined || (target.overlay !== undefined && globMatches(e.overlay, target.overlay))),
  );
}
