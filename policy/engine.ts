// The policy engine: runs every registered rule over every object (or the cross-object rules over
// the index), applies the profile's severities and the exemptions, and returns ordered findings.
import { Ajv, type ValidateFunction } from "ajv";
import { UsageError } from "../scripts/lib/cli.ts";
import { configExemptionFor, EMPTY_CONFIG, type PolicyConfig } from "./config.ts";
import { annotationsOf, asString, EXEMPTION_PREFIX, kindOf, nameOf, namespaceOf, NO_VIOLATIONS } from "./helpers.ts";
import { ObjectIndex } from "./object-index.ts";
import { getProfile, STRICTEST_PROFILE, severityFor, withSeverities, type Profile } from "./profiles.ts";
import * as registry from "./rules/index.ts";
import { summarize } from "../scripts/lib/findings/types.ts";
import type { Exemption, Finding, K8sObject, PolicyReport, Rule, RuleContext, SourceObject, Violation } from "./types.ts";

export const DEFAULT_KUBERNETES_VERSION = "1.36.2";

/** Every registered rule, sorted by id. */
export const RULES: readonly Rule[] = (Object.values(registry) as Rule[]).sort((a, b) => a.id.localeCompare(b.id));

export interface EvaluateOptions {
  /** Profile name (or a profile); the strictest profile when omitted. */
  profile?: string | Profile;
  kubernetesVersion?: string;
  overlay?: string;
  config?: PolicyConfig;
  rules?: readonly Rule[];
}

export function parseKubernetesVersion(v: string): [number, number] {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(v.trim());
  if (!m) throw new UsageError(`invalid Kubernetes version "${v}"`, { expected: "MAJOR.MINOR[.PATCH], e.g. 1.36.2" });
  return [Number(m[1]), Number(m[2])];
}

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<Rule, ValidateFunction>();

function runRule(rule: Rule, object: K8sObject, ctx: RuleContext): Violation[] {
  if ("check" in rule) return rule.check(object, ctx);
  let validate = compiled.get(rule);
  if (!validate) {
    validate = ajv.compile(rule.schema);
    compiled.set(rule, validate);
  }
  if (validate(object)) return NO_VIOLATIONS;
  // A schema states one requirement: one violation per offending location, with the rule's message.
  const paths = new Set((validate.errors ?? []).map((e) => e.instancePath + (e.keyword === "required" ? `/${String(e.params.missingProperty)}` : "")));
  return [...paths].map((path) => ({ message: rule.message, path }));
}

/** Rules indexed by the kind they look at, so a 10,000-object set does not call every rule on every object. */
function rulesByKind(rules: readonly Rule[]): (kind: string) => readonly Rule[] {
  const sorted = [...rules].sort((a, b) => a.id.localeCompare(b.id));
  const cache = new Map<string, Rule[]>();
  return (kind) => {
    let list = cache.get(kind);
    if (!list) {
      list = sorted.filter((r) => !r.kinds || r.kinds.includes(kind));
      cache.set(kind, list);
    }
    return list;
  };
}

function annotationExemption(object: K8sObject, ruleId: string): Exemption | undefined {
  const reason = asString(annotationsOf(object)[EXEMPTION_PREFIX + ruleId])?.trim();
  // An empty reason does not exempt: the exemption-reason rule reports it instead.
  return reason ? { reason, source: "annotation" } : undefined;
}

export function evaluate(inputs: readonly SourceObject[], options: EvaluateOptions = {}): PolicyReport {
  const rules = options.rules ?? RULES;
  const config = options.config ?? EMPTY_CONFIG;
  const base = typeof options.profile === "object" ? options.profile : getProfile(options.profile ?? STRICTEST_PROFILE);
  const profile = withSeverities(base, config.profiles[base.name]);
  const kubernetesVersion = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const index = new ObjectIndex(inputs);
  const ctx: RuleContext = {
    profile,
    index,
    kubernetesVersion: parseKubernetesVersion(kubernetesVersion),
    overlay: options.overlay,
    ruleIds: new Set(rules.map((r) => r.id)),
  };
  const rulesFor = rulesByKind(rules);
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
    for (const rule of rulesFor(kind)) {
      const severity = severityFor(rule, profile);
      if (severity === "off") continue;
      const violations = runRule(rule, object, ctx);
      if (violations.length === 0) continue;
      const exempted =
        annotationExemption(object, rule.id) ??
        toExemption(configExemptionFor(config, rule.id, { kind, name: ref.name, namespace: namespaceOf(object), overlay: options.overlay }));
      for (const v of violations) {
        findings.push({
          ruleId: rule.id,
          severity,
          category: rule.category,
          message: v.message,
          object: ref,
          file: source.file,
          line: source.line,
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

export { hasBlockingFindings, summarize } from "../scripts/lib/findings/types.ts";
