// The shapes the policy engine works with: rules, findings, the evaluation context.
import type { ObjectIndex } from "./object-index.ts";
import type { Profile } from "./profiles.ts";
import type { Finding as SharedFinding, Severity, Summary } from "../scripts/lib/findings/types.ts";

export type { Exemption, ObjectRef, Severity, Summary } from "../scripts/lib/findings/types.ts";
/** A profile may also switch a rule off entirely. */
export type SeverityOrOff = Severity | "off";

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
  | "gateway"
  | "secrets"
  | "jobs";

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

export interface Finding extends SharedFinding {
  category: Category;
}

export interface PolicyReport {
  profile: string;
  overlay?: string;
  kubernetesVersion: string;
  objects: number;
  findings: Finding[];
  summary: Summary;
}
