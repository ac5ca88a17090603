// policy/config.yaml: exemptions by kind/name/namespace/overlay (each with a required reason) and
// per-profile severity changes. Any mistake is an InputError naming the file and the key path.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { InputError } from "../scripts/lib/cli.ts";
import { asString, isRecord } from "./helpers.ts";
import type { SeverityOrOff } from "./types.ts";
import { globMatches } from "../scripts/lib/findings/glob.ts";

export const DEFAULT_CONFIG_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "config.yaml");

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
}

export const EMPTY_CONFIG: PolicyConfig = { exemptions: [], profiles: {} };

const EXEMPTION_KEYS = new Set(["rule", "kind", "name", "namespace", "overlay", "reason"]);
const SEVERITIES = new Set(["error", "warning", "info", "off"]);

export function loadConfig(file: string, ruleIds: ReadonlySet<string>, profileNames: readonly string[]): PolicyConfig {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new InputError(`cannot read policy configuration: ${(err as Error).message}`, { file });
  }
  let doc: unknown;
  try {
    doc = parse(raw);
  } catch (err) {
    throw new InputError(`invalid YAML: ${(err as Error).message.split("\n")[0]}`, { file });
  }
  return parseConfig(doc ?? {}, file, ruleIds, profileNames);
}

export function parseConfig(doc: unknown, file: string, ruleIds: ReadonlySet<string>, profileNames: readonly string[]): PolicyConfig {
  const fail = (keyPath: string, message: string, expected?: string): never => {
    throw new InputError(message, { file, path: keyPath, expected });
  };
  if (!isRecord(doc)) fail("", "policy configuration must be a mapping");
  const top = doc as Record<string, unknown>;
  for (const k of Object.keys(top)) {
    if (k !== "exemptions" && k !== "profiles") fail(k, `unknown key "${k}"`, "exemptions or profiles");
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
  const rawProfiles = top.profiles ?? {};
  if (!isRecord(rawProfiles)) fail("profiles", "must be a mapping of profile name to rule severities");
  for (const [profile, rules] of Object.entries(rawProfiles as Record<string, unknown>)) {
    if (!profileNames.includes(profile)) fail(`profiles.${profile}`, `unknown profile "${profile}"`, profileNames.join(", "));
    if (!isRecord(rules)) fail(`profiles.${profile}`, "must be a mapping of rule id to severity");
    profiles[profile] = {};
    for (const [rule, severity] of Object.entries(rules as Record<string, unknown>)) {
      if (!ruleIds.has(rule)) fail(`profiles.${profile}.${rule}`, `unknown rule "${rule}"`);
      if (typeof severity !== "string" || !SEVERITIES.has(severity)) {
        fail(`profiles.${profile}.${rule}`, `invalid severity ${JSON.stringify(severity)}`, "error, warning, info or off");
      }
      profiles[profile]![rule] = severity as SeverityOrOff;
    }
  }
  return { exemptions, profiles };
}

export { globMatches };

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
