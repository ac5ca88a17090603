// The policy engine: rules (built-in and from plugins), profiles and exemptions bound together. evaluate()
// runs every rule over every object (cross-object rules read the index), applies the profile's severities
// and parameters and the exemptions, and returns ordered findings.
import type { Ajv as AjvType, ValidateFunction } from "ajv";
import { precompiledValidator, TRUSTED_AJV_OPTIONS } from "./builtin-schemas.ts";
import { configExemptionFor, EMPTY_CONFIG, loadConfig, parseConfig, type PolicyConfig } from "./config.ts";
import { PolicyUsageError } from "./errors.ts";
import { annotationsOf, asString, DEFAULT_EXEMPTION_PREFIX, kindOf, nameOf, namespaceOf, NO_VIOLATIONS } from "./helpers.ts";
import { ObjectIndex } from "./object-index.ts";
import { BUILTIN_PROFILES, parametersFor, severityFor, STRICTEST_PROFILE, withOverrides, type Profile } from "./profiles.ts";
import * as registry from "./rules/index.ts";
import type { Exemption, Finding, K8sObject, PolicyReport, Rule, RuleContext, SourceObject, Violation } from "./types.ts";
const { createRequire } = process.getBuiltinModule("node:module");

export const DEFAULT_KUBERNETES_VERSION = "1.36.2";

/** The engine's own rules, sorted by id. */
export const BUILTIN_RULES: readonly Rule[] = (Object.values(registry) as Rule[]).sort((a, b) => a.id.localeCompare(b.id));

/** Text and parameter changes a plugin makes to a rule it did not write (e.g. remediations naming its settings). */
export interface RuleOverride {
  title?: string;
  rationale?: string;
  remediation?: string;
  differences?: string;
  /** New parameter defaults. */
  parameters?: Readonly<Record<string, unknown>>;
}

/** What a project registers: its own rules, changes to built-in ones, profiles and its exemption prefix. */
export interface PolicyPlugin {
  name: string;
  rules?: readonly Rule[];
  overrides?: Readonly<Record<string, RuleOverride>>;
  profiles?: Readonly<Record<string, Profile>>;
  /** Annotation-key prefix for exemptions; the last plugin that sets one wins. */
  exemptionPrefix?: string;
}

export interface EngineOptions {
  plugins?: readonly PolicyPlugin[];
  /** Leave out the built-in rules (a plugin brings all of them). */
  builtinRules?: boolean;
}

export interface EvaluateOptions {
  /** Profile name (or a profile); the strictest profile when omitted. */
  profile?: string | Profile;
  kubernetesVersion?: string;
  overlay?: string;
  config?: PolicyConfig;
  /** Only these rules (default: every registered rule and those the configuration instantiates). */
  rules?: readonly Rule[];
}

export interface PolicyEngine {
  readonly rules: readonly Rule[];
  readonly profiles: Readonly<Record<string, Profile>>;
  readonly exemptionPrefix: string;
  getProfile(name: string): Profile;
  /** Reads a policy configuration file (exemptions, per-profile severities and parameters, template instances). */
  loadConfig(file: string): PolicyConfig;
  parseConfig(doc: unknown, file: string): PolicyConfig;
  evaluate(inputs: readonly SourceObject[], options?: EvaluateOptions): PolicyReport;
}

export function parseKubernetesVersion(v: string): [number, number] {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(v.trim());
  if (!m) throw new PolicyUsageError(`invalid Kubernetes version "${v}"`, { expected: "MAJOR.MINOR[.PATCH], e.g. 1.36.2" });
  return [Number(m[1]), Number(m[2])];
}

function applyOverride(rule: Rule, o: RuleOverride): Rule {
  const parameters = rule.parameters && o.parameters
    ? Object.fromEntries(Object.entries(rule.parameters).map(([k, spec]) => [k, k in o.parameters! ? { ...spec, default: o.parameters![k] } : spec]))
    : rule.parameters;
  return {
    ...rule,
    ...(o.title ? { title: o.title } : {}),
    ...(o.rationale ? { rationale: o.rationale } : {}),
    ...(o.remediation ? { remediation: o.remediation } : {}),
    ...(o.differences ? { differences: o.differences } : {}),
    ...(parameters ? { parameters } : {}),
  } as Rule;
}

export function createEngine(options: EngineOptions = {}): PolicyEngine {
  const plugins = options.plugins ?? [];
  const byId = new Map<string, Rule>();
  for (const rule of options.builtinRules === false ? [] : BUILTIN_RULES) byId.set(rule.id, rule);
  for (const plugin of plugins) {
    for (const rule of plugin.rules ?? []) {
      if (byId.has(rule.id)) throw new Error(`plugin ${plugin.name}: rule "${rule.id}" is already registered`);
      byId.set(rule.id, rule);
    }
  }
  for (const plugin of plugins) {
    for (const [id, o] of Object.entries(plugin.overrides ?? {})) {
      const rule = byId.get(id);
      if (!rule) throw new Error(`plugin ${plugin.name}: override for unknown rule "${id}"`);
      byId.set(id, applyOverride(rule, o));
    }
  }
  const rules = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  const profiles: Record<string, Profile> = { ...BUILTIN_PROFILES };
  for (const plugin of plugins) Object.assign(profiles, plugin.profiles);
  const exemptionPrefix = plugins.reduce<string>((p, plugin) => plugin.exemptionPrefix ?? p, DEFAULT_EXEMPTION_PREFIX);

  const getProfile = (name: string): Profile => {
    const profile = profiles[name];
    if (!profile) throw new PolicyUsageError(`unknown policy profile "${name}"`, { expected: `one of ${Object.keys(profiles).join(", ")}` });
    return profile;
  };
  const configContext = { rules, profileNames: Object.keys(profiles) };

  return {
    rules,
    profiles,
    exemptionPrefix,
    getProfile,
    loadConfig: (file) => loadConfig(file, configContext),
    parseConfig: (doc, file) => parseConfig(doc, file, configContext),
    evaluate: (inputs, evaluateOptions = {}) => {
      const config = evaluateOptions.config ?? EMPTY_CONFIG;
      const base = typeof evaluateOptions.profile === "object" ? evaluateOptions.profile : getProfile(evaluateOptions.profile ?? STRICTEST_PROFILE);
      return evaluateWith(inputs, {
        ...evaluateOptions,
        rules: evaluateOptions.rules ?? (config.rules.length > 0 ? [...rules, ...config.rules].sort((a, b) => a.id.localeCompare(b.id)) : rules),
        profile: withOverrides(base, config.profiles[base.name], config.parameters[base.name]),
        config,
        exemptionPrefix,
      });
    },
  };
}

// The engine's own schema rules run their committed standalone validators (builtin-schemas.ts); ajv is loaded only
// for a schema without one. The engine's own schemas are known to be valid (test/policy/engine.test.ts checks them
// against the meta-schema), so they are compiled without ajv compiling its meta-schema first; a plugin's schema is
// checked as always.
let ajv: AjvType | undefined;
let trustedAjv: AjvType | undefined;
const loadAjv = (validateSchema: boolean): AjvType => {
  const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");
  return new Ajv({ ...TRUSTED_AJV_OPTIONS, validateSchema });
};
const compiled = new WeakMap<Rule, ValidateFunction>();
const BUILTIN_SCHEMAS = new Set<unknown>(BUILTIN_RULES.flatMap((r) => ("schema" in r ? [r.schema] : [])));

function runRule(rule: Rule, object: K8sObject, ctx: RuleContext): Violation[] {
  if ("check" in rule) return rule.check(object, ctx);
  let validate = compiled.get(rule);
  if (!validate) {
    const builtin = BUILTIN_SCHEMAS.has(rule.schema);
    const precompiled = builtin ? precompiledValidator(rule) : undefined;
    validate = precompiled ?? (builtin ? (trustedAjv ??= loadAjv(false)) : (ajv ??= loadAjv(true))).compile(rule.schema);
    compiled.set(rule, validate);
  }
  if (validate(object)) return NO_VIOLATIONS;
  // A schema states one requirement: one violation per offending location, with the rule's message.
  const paths = new Set((validate.errors ?? []).map((e) => e.instancePath + (e.keyword === "required" ? `/${String(e.params.missingProperty)}` : "")));
  return [...paths].map((path) => ({ message: rule.message, path }));
}

/** Rules indexed by the kind they look at, so a 10,000-object set does not call every rule on every object. */
function rulesByKind<T extends { rule: Rule }>(rules: readonly T[]): (kind: string) => readonly T[] {
  const cache = new Map<string, T[]>();
  return (kind) => {
    let list = cache.get(kind);
    if (!list) {
      list = rules.filter((r) => !r.rule.kinds || r.rule.kinds.includes(kind));
      cache.set(kind, list);
    }
    return list;
  };
}

function evaluateWith(
  inputs: readonly SourceObject[],
  options: { profile: Profile; rules: readonly Rule[]; config: PolicyConfig; exemptionPrefix: string; kubernetesVersion?: string; overlay?: string },
): PolicyReport {
  const { profile, config, exemptionPrefix } = options;
  const kubernetesVersion = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const index = new ObjectIndex(inputs);
  const base = {
    profile,
    index,
    kubernetesVersion: parseKubernetesVersion(kubernetesVersion),
    overlay: options.overlay,
    ruleIds: new Set(options.rules.map((r) => r.id)),
    exemptionPrefix,
  };
  // One context per active rule, carrying that rule's parameters.
  const active = options.rules
    .map((rule) => ({ rule, severity: severityFor(rule, profile), ctx: { ...base, params: parametersFor(rule, profile) } as RuleContext }))
    .filter((r) => r.severity !== "off");
  const rulesFor = rulesByKind(active);
  const findings: Finding[] = [];

  for (const source of inputs) {
    const object = source.object;
    const kind = kindOf(object);
    const ref = {
      apiVersion: asString(object.apiVersion) ?? "",
      kind,
      ...(namespaceOf(object) ? { namespace: namespaceOf(object) } : {}),
      name: nameOf(object),
    };
    for (const { rule, severity, ctx } of rulesFor(kind)) {
      if (severity === "off") continue;
      const violations = runRule(rule, object, ctx);
      if (violations.length === 0) continue;
      const reason = asString(annotationsOf(object)[exemptionPrefix + rule.id])?.trim();
      // An empty reason does not exempt: the exemption-reason rule reports it instead.
      const exempted: Exemption | undefined = reason
        ? { reason, source: "annotation" }
        : toExemption(configExemptionFor(config, rule.id, { kind, name: ref.name, namespace: namespaceOf(object), overlay: options.overlay }));
      for (const v of violations) {
        findings.push({
          ruleId: rule.id,
          severity,
          category: rule.category,
          message: v.message,
          object: ref,
          file: source.file,
          line: source.locate?.(v.path) ?? source.line,
          objectLine: source.line,
          path: v.path,
          ...(options.overlay ? { overlay: options.overlay } : {}),
          profile: profile.name,
          ...(exempted ? { exempted } : {}),
        });
      }
    }
  }
  return {
    profile: profile.name,
    ...(options.overlay ? { overlay: options.overlay } : {}),
    kubernetesVersion,
    objects: inputs.length,
    findings,
    summary: summarize(findings, inputs.length),
  };
}

function toExemption(e: { reason: string } | undefined): Exemption | undefined {
  return e ? { reason: e.reason, source: "config" } : undefined;
}

export function summarize(findings: readonly Finding[], objects: number): PolicyReport["summary"] {
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
