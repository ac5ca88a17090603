// Rule templates (kube-linter's idea): a check written once over parameters. Built-in rules that differ only
// in parameters are instances of one template, and a configuration file can add rules by instantiating a
// template with its own id and parameters, without code.
import { atLeast, formatVersion, lifecycleOf } from "./api-versions.ts";
import {
  annotationsOf,
  asArray,
  asNumber,
  asString,
  eachContainer,
  effectiveSecurity,
  kindOf,
  labelsOf,
  missingResources,
  NO_VIOLATIONS,
  parseImage,
  pointer,
  podTemplateOf,
  WORKLOAD_KINDS,
} from "./helpers.ts";
import type { CheckRule, K8sObject, ParameterSpec, RuleContext, Violation } from "./types.ts";

export interface TemplateParameter extends ParameterSpec {
  /** An instance must give a value (the default is only a type example). */
  required?: boolean;
}

export interface RuleTemplate {
  name: string;
  description: string;
  parameters: Readonly<Record<string, TemplateParameter>>;
  /** Kinds an instance looks at, from its parameters; omitted means every object. */
  kinds?: (params: Readonly<Record<string, unknown>>) => readonly string[] | undefined;
  check: (o: K8sObject, ctx: RuleContext) => Violation[];
}

/** A rule's identity and texts, plus the template parameters' values. */
export interface TemplateInstance extends Pick<CheckRule, "id" | "title" | "category" | "severity" | "rationale" | "remediation" | "differences"> {
  parameters: Readonly<Record<string, unknown>>;
}

/** A rule from a template: the instance's values become the parameters' defaults (profiles may still change them). */
export function instantiate(template: RuleTemplate, instance: TemplateInstance): CheckRule {
  const parameters: Record<string, ParameterSpec> = {};
  for (const [name, spec] of Object.entries(template.parameters)) {
    const { required: _required, ...rest } = spec;
    parameters[name] = { ...rest, default: name in instance.parameters ? instance.parameters[name] : spec.default };
  }
  const values = Object.fromEntries(Object.entries(parameters).map(([k, p]) => [k, p.default]));
  const kinds = template.kinds?.(values);
  return {
    id: instance.id,
    title: instance.title,
    category: instance.category,
    severity: instance.severity,
    rationale: instance.rationale,
    remediation: instance.remediation,
    ...(instance.differences ? { differences: instance.differences } : {}),
    ...(kinds ? { kinds } : {}),
    parameters,
    template: template.name,
    check: template.check,
  };
}

const strings = (v: unknown): string[] => asArray(v).filter((x): x is string => typeof x === "string");

// ── container resources (cpu-limit, memory-limit, resource-requests, ephemeral-storage) ─────────────────────

export const containerResources: RuleTemplate = {
  name: "container-resources",
  description: "Every container sets the named resources in requests, limits or both.",
  parameters: {
    resources: { default: ["cpu"], description: "resource names, e.g. cpu, memory, ephemeral-storage", required: true },
    sections: { default: ["requests"], description: "requests and/or limits" },
  },
  kinds: () => WORKLOAD_KINDS,
  check: (o, ctx) => {
    const resources = strings(ctx.params.resources);
    const sections = strings(ctx.params.sections) as ("requests" | "limits")[];
    return eachContainer(o, (c) => {
      const missing = sections.flatMap((section) => missingResources(c.container, section, resources).map((r) => `${r} ${section === "requests" ? "request" : "limit"}`));
      return missing.length ? { message: `container "${c.name}" has no ${missing.join(" or ")}`, path: `${c.path}/resources` } : undefined;
    });
  },
};

// ── API lifecycle (deprecated-api, removed-api) ─────────────────────────────────────────────────────────────

export const apiLifecycle: RuleTemplate = {
  name: "api-lifecycle",
  description: "The object's apiVersion is not deprecated (or removed) in the target Kubernetes version.",
  parameters: { stage: { default: "deprecated", description: "deprecated: deprecated but still served; removed: no longer served" } },
  check: (o, ctx) => {
    const life = lifecycleOf(asString(o.apiVersion) ?? "", kindOf(o));
    if (!life) return NO_VIOLATIONS;
    const removed = life.removedIn !== undefined && atLeast(ctx.kubernetesVersion, life.removedIn);
    if (ctx.params.stage === "removed") {
      return removed ? [{ message: `${String(o.apiVersion)} ${kindOf(o)} was removed in Kubernetes ${formatVersion(life.removedIn!)}; use ${life.replacement}`, path: "/apiVersion" }] : NO_VIOLATIONS;
    }
    // Once removed, the removed stage reports it (as an error) instead.
    if (removed || !atLeast(ctx.kubernetesVersion, life.deprecatedIn)) return NO_VIOLATIONS;
    return [{ message: `${String(o.apiVersion)} ${kindOf(o)} is deprecated since Kubernetes ${formatVersion(life.deprecatedIn)}; use ${life.replacement}`, path: "/apiVersion" }];
  },
};

// ── image references (image-tag, image-digest) ──────────────────────────────────────────────────────────────

export const imageReference: RuleTemplate = {
  name: "image-reference",
  description: "Every container image is pinned: by a tag other than the forbidden ones, or by a digest.",
  parameters: {
    pin: { default: "tag", description: "tag: a tag not in forbiddenTags, or a digest; digest: a sha256 digest" },
    forbiddenTags: { default: ["latest"], description: "tags that do not pin anything", peers: "kube-linter blocks latest and untagged; Polaris and kube-score the same" },
  },
  kinds: () => WORKLOAD_KINDS,
  check: (o, ctx) => {
    const forbidden = strings(ctx.params.forbiddenTags);
    return eachContainer(o, (c) => {
      const image = asString(c.container.image);
      const path = `${c.path}/image`;
      if (ctx.params.pin === "digest") {
        if (!image || parseImage(image).digest?.startsWith("sha256:")) return undefined;
        return { message: `image ${image} of container "${c.name}" is not pinned by digest`, path };
      }
      if (!image || image.trim() === "") return { message: `container "${c.name}" has no image`, path: c.path };
      const { tag, digest } = parseImage(image);
      if (digest) return undefined;
      if (!tag) return { message: `image ${image} of container "${c.name}" has no tag`, path };
      return forbidden.includes(tag) ? { message: `image ${image} of container "${c.name}" uses the ${tag} tag`, path } : undefined;
    });
  },
};

// ── the runAs trio (run-as-non-root, run-as-user-non-zero, run-as-group-non-zero) ────────────────────────────

export const runAs: RuleTemplate = {
  name: "run-as",
  description: "A security-context identity field (container value, else the pod's): runAsNonRoot must be true; runAsUser/runAsGroup, when set, at least `minimum`.",
  parameters: {
    field: { default: "runAsUser", description: "runAsNonRoot, runAsUser or runAsGroup", required: true },
    minimum: { default: 1, description: "the least UID/GID allowed", peers: "kube-score wants more than 10000; Pod Security and kube-linter forbid 0 only" },
    requireSet: { default: false, description: "the UID/GID must be set (not left to the image)" },
  },
  kinds: () => WORKLOAD_KINDS,
  check: (o, ctx) => {
    const field = asString(ctx.params.field) ?? "runAsUser";
    const minimum = asNumber(ctx.params.minimum) ?? 1;
    return eachContainer(o, (c, t) => {
      const { value, path } = effectiveSecurity(c, t, field);
      if (field === "runAsNonRoot") {
        return value === true ? undefined : { message: `container "${c.name}" ${value === false ? "sets runAsNonRoot: false" : "does not set runAsNonRoot: true"}`, path };
      }
      const what = field === "runAsGroup" ? "GID" : "UID";
      if (value === undefined) return ctx.params.requireSet === true ? { message: `container "${c.name}" does not set ${field}`, path } : undefined;
      if (typeof value === "number" && value < minimum) return { message: `container "${c.name}" runs as ${what} ${value}${minimum > 1 ? ` (below ${minimum})` : ""}`, path };
      return undefined;
    });
  },
};

// ── metadata (required label / annotation) and disallowed kinds, for configuration files ─────────────────────

const RECOMMENDED_KINDS = [...WORKLOAD_KINDS, "Service"];

function metadataValues(o: K8sObject, which: "labels" | "annotations", podTemplate: boolean): { at: string; values: Record<string, unknown> }[] {
  const own = { at: "/metadata", values: which === "labels" ? labelsOf(o) : annotationsOf(o) };
  const t = podTemplateOf(o);
  if (!t || t.metadataPath === "/metadata" || which === "annotations" || !podTemplate) return [own];
  return [own, { at: t.metadataPath, values: t.labels }];
}

function requiredMetadata(which: "labels" | "annotations"): RuleTemplate {
  const singular = which === "labels" ? "label" : "annotation";
  return {
    name: `required-${singular}`,
    description: `Objects of the given kinds carry the ${singular} (and, when a pattern is given, a matching value)${which === "labels" ? "; workloads on their pod template too" : ""}.`,
    parameters: {
      key: { default: "", description: `the ${singular} key`, required: true },
      pattern: { default: "", description: "a regular expression the value must match (empty: any value)" },
      kinds: { default: RECOMMENDED_KINDS, description: "kinds checked (empty: every kind)" },
      ...(which === "labels" ? { podTemplate: { default: true, description: "workloads' pod templates must carry the label too", peers: "kube-linter checks object metadata only" } } : {}),
    },
    kinds: (p) => (strings(p.kinds).length > 0 ? strings(p.kinds) : undefined),
    check: (o, ctx) => {
      const key = asString(ctx.params.key) ?? "";
      const pattern = asString(ctx.params.pattern) ?? "";
      const re = pattern ? new RegExp(pattern) : undefined;
      const out: Violation[] = [];
      for (const { at, values } of metadataValues(o, which, ctx.params.podTemplate !== false)) {
        const where = at === "/metadata" ? "metadata" : "pod template";
        const value = values[key];
        if (value === undefined) out.push({ message: `${where} has no ${key} ${singular}`, path: `${at}` });
        else if (re && !re.test(String(value))) out.push({ message: `${where} ${singular} ${key}=${String(value)} does not match ${pattern}`, path: `${at}${pointer(which, key)}` });
      }
      return out;
    },
  };
}

export const requiredLabel = requiredMetadata("labels");
export const requiredAnnotation = requiredMetadata("annotations");

export const disallowedKind: RuleTemplate = {
  name: "disallowed-kind",
  description: "No object of the given kind (optionally only in the given API group) is rendered.",
  parameters: {
    kind: { default: "", description: "the kind, e.g. PodSecurityPolicy", required: true },
    group: { default: "*", description: 'API group ("" for core, * for any)' },
  },
  kinds: (p) => [asString(p.kind) ?? ""],
  check: (o, ctx) => {
    const group = asString(ctx.params.group) ?? "*";
    const apiVersion = asString(o.apiVersion) ?? "";
    const objectGroup = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
    if (group !== "*" && group !== objectGroup) return NO_VIOLATIONS;
    return [{ message: `${kindOf(o)} objects are not allowed`, path: "/kind" }];
  },
};

export const TEMPLATES: Readonly<Record<string, RuleTemplate>> = Object.fromEntries(
  [containerResources, apiLifecycle, imageReference, runAs, requiredLabel, requiredAnnotation, disallowedKind].map((t) => [t.name, t]),
);
