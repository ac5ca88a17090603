// Exemptions of deployability findings (scripts/deployability/data/config.yaml): rule, kind, name and
// overlay select findings (globs * and ?), reason is required. Mistakes are InputErrors naming the key.
import { parse } from "yaml";
import { InputError, readInputFile } from "../lib/cli.ts";
import { isRecord } from "./model.ts";
import { globMatches } from "@mcp-stack/policy-engine";
const path = process.getBuiltinModule("node:path");
const { fileURLToPath } = process.getBuiltinModule("node:url");

export const DEFAULT_CONFIG_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "data", "config.yaml");

export interface Exemption {
  rule: string;
  kind?: string;
  name?: string;
  overlay?: string;
  reason: string;
}

const KEYS = ["rule", "kind", "name", "overlay", "reason"];

export function loadExemptions(file: string, ruleIds: ReadonlySet<string>): Exemption[] {
  const text = readInputFile(file);
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (err) {
    throw new InputError(`invalid YAML: ${(err as Error).message.split("\n")[0]}`, { file });
  }
  if (!isRecord(doc)) throw new InputError("must be a mapping", { file, expected: "exemptions: [{rule, kind, name, overlay, reason}]" });
  for (const k of Object.keys(doc)) if (k !== "exemptions") throw new InputError(`unknown key "${k}"`, { file, path: k, expected: "exemptions" });
  const list = doc.exemptions ?? [];
  if (!Array.isArray(list)) throw new InputError("must be a list", { file, path: "exemptions" });
  return list.map((e: unknown, i: number) => {
    const at = `exemptions[${i}]`;
    if (!isRecord(e)) throw new InputError("must be a mapping", { file, path: at });
    for (const [k, v] of Object.entries(e)) {
      if (!KEYS.includes(k)) throw new InputError(`unknown key "${k}"`, { file, path: `${at}.${k}`, expected: KEYS.join(", ") });
      if (typeof v !== "string") throw new InputError("must be a string", { file, path: `${at}.${k}` });
    }
    if (!e.rule) throw new InputError("an exemption must name a rule", { file, path: `${at}.rule` });
    if (!/[*?]/.test(e.rule as string) && !ruleIds.has(e.rule as string)) throw new InputError(`unknown rule "${e.rule}"`, { file, path: `${at}.rule` });
    if (!(e.reason as string | undefined)?.trim()) throw new InputError("an exemption needs a reason", { file, path: `${at}.reason`, expected: "a non-empty string" });
    return e as unknown as Exemption;
  });
}

export function exemptionFor(exemptions: readonly Exemption[], rule: string, target: { kind: string; name: string; overlay: string }): Exemption | undefined {
  return exemptions.find((e) => globMatches(e.rule, rule) && globMatches(e.kind, target.kind) && globMatches(e.name, target.name) && globMatches(e.overlay, target.overlay));
}
