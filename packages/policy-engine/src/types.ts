// The shapes the policy engine works with: rules, findings, the evaluation context.
import type { ObjectIndex } from "./object-index.ts";
import type { Profile } from "./profiles.ts";

export type Severity = "error" | "warning" | "info";
/** A profile may also switch a rule off entirely. */
export type SeverityOrOff = Severity | "off";

/** The engine's own categories; a plugin may use others (e.g. the stack it knows). */
export type Category =
  | "security"
  | "resources"
  | "reliability"
  | "availability"
  | "network"
  | "images"
  | "metadata"
  | "api"
  | "storage"
  | "secrets"
  | "jobs"
  | "rbac"
  | "monitoring"
  | (string & {});

/** A Kubernetes object as parsed from YAML: nothing is guaranteed, every field may be missing. */
export interface K8sObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: {
    name?: unknown;
    namespace?: unknown;
    labels?: Record<string, unknown>;
    annotations?: Record<string, unknown>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One input object with where it came from (SARIF needs the line). */
export interface SourceObject {
  object: K8sObject;
  file: string;
  /** 1-based line of the object's first line in `file`. */
  line: number;
  /** The line of a field (JSON pointer) in `file`, when it can be known. */
  locate?: (pointer: string) => number | undefined;
}

/** What a check reports: a message and the JSON pointer (RFC 6901) of the offending field in the object. */
export interface Violation {
  message: string;
  path: string;
}

export interface RuleContext {
  profile: Profile;
  index: ObjectIndex;
  /** Target Kubernetes version as [major, minor]. */
  kubernetesVersion: [number, number];
  overlay?: string;
  /** Every registered rule id (the exemption-annotation rule needs them). */
  ruleIds: ReadonlySet<string>;
  /** The annotation-key prefix that exempts an object from a rule (`<prefix><rule-id>: "<reason>"`). */
  exemptionPrefix: string;
  /** This rule's parameters: its defaults, then the profile's values, then policy configuration. */
  params: Readonly<Record<string, unknown>>;
}

/** A rule parameter: its default, what it means, and what the peers use (for the rules table). */
export interface ParameterSpec {
  default: unknown;
  description: string;
  /** The peers' values beside ours, e.g. "Polaris 1 (pdbMinAvailable), kube-score 2". */
  peers?: string;
}

interface RuleBase {
  /** kebab-case, no slash: it becomes part of an annotation key. */
  id: string;
  title: string;
  category: Category;
  severity: Severity;
  rationale: string;
  remediation: string;
  /** Kinds the rule looks at; omitted means every object. */
  kinds?: readonly string[];
  /** Named parameters with defaults; profiles and policy configuration may change them. */
  parameters?: Readonly<Record<string, ParameterSpec>>;
  /** Where this rule deliberately differs from the peers (kube-linter, Polaris, kube-score), for the rules table. */
  differences?: string;
  /** The template this rule was instantiated from, if any. */
  template?: string;
}

/** A rule written as a small function over one object; cross-object rules read `ctx.index`. */
export interface CheckRule extends RuleBase {
  check: (object: K8sObject, ctx: RuleContext) => Violation[];
}

/** A rule written as a JSON Schema evaluated with ajv; each schema error becomes a violation. */
export interface SchemaRule extends RuleBase {
  schema: Record<string, unknown>;
  /** The message of every violation (a schema rule states one requirement). */
  message: string;
}

export type Rule = CheckRule | SchemaRule;

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Exemption {
  reason: string;
  source: "annotation" | "config";
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  category: Category;
  message: string;
  object: ObjectRef;
  file: string;
  /** The line of the offending field (the object's line when it cannot be found). */
  line: number;
  /** The object's first line. */
  objectLine: number;
  path: string;
  overlay?: string;
  profile: string;
  exempted?: Exemption;
}

export interface Summary {
  error: number;
  warning: number;
  info: number;
  exempted: number;
  objects: number;
}

export interface PolicyReport {
  profile: string;
  overlay?: string;
  kubernetesVersion: string;
  objects: number;
  findings: Finding[];
  summary: Summary;
}
