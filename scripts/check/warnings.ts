// What the gate would otherwise ignore silently, as warnings (they never fail the gate): files in an overlay
// folder nothing references, overlay folders that are not environments, policy exemptions that match nothing,
// gateway.config keys the pinned gateway does not read.
import yaml from "js-yaml";
import { isSeq, LineCounter, parseDocument } from "yaml";
import { globMatches, type Finding, type PolicyConfig } from "@mcp-stack/policy-engine";
import { relativeToRepo } from "../lib/paths.ts";
import { GATEWAY_CONFIG_VERSION, unknownGatewayConfigKeys } from "../settings/gateway-config.ts";
import type { Settings } from "../settings/schema.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

export interface GateWarning {
  /** The overlay (or "(root)") the warning belongs to; absent for repository-wide ones. */
  target?: string;
  /** Short id: unreferenced-file, not-an-environment, unused-exemption, unknown-gateway-config. */
  code: string;
  file: string;
  line?: number;
  message: string;
}

const rel = (root: string, file: string) => path.relative(root, file).split(path.sep).join("/");

function yamlFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "credentials" ? [] : yamlFilesUnder(full);
    return /\.ya?ml$/.test(e.name) ? [full] : [];
  });
}

/** Every string in the kustomization that names a file of the folder (resources, patches, generators' `key=file`). */
function referencedFiles(overlay: string): Set<string> {
  const file = path.join(overlay, "kustomization.yaml");
  const refs = new Set<string>();
  if (!fs.existsSync(file)) return refs;
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      for (const part of [v, v.slice(v.indexOf("=") + 1)]) refs.add(path.resolve(overlay, part));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  try {
    walk(yaml.load(fs.readFileSync(file, "utf8")));
  } catch {
    // An unreadable kustomization fails the render, which the gate reports on its own.
  }
  return refs;
}

/** YAML files in overlays/<env>/ that kustomization.yaml does not reference: kustomize never reads them. */
export function unreferencedOverlayFiles(root: string, env: string): GateWarning[] {
  const overlay = path.join(root, "overlays", env);
  const refs = referencedFiles(overlay);
  return yamlFilesUnder(overlay)
    .filter((f) => !["kustomization.yaml", "settings.yaml"].includes(path.relative(overlay, f)) && !refs.has(f))
    .sort()
    .map((f) => ({
      target: env,
      code: "unreferenced-file",
      file: rel(root, f),
      message: `${rel(root, f)} is not referenced by overlays/${env}/kustomization.yaml, so it is never applied: list it in settings.yaml (extraResources or extraPatches) or remove it`,
    }));
}

/** Folders under overlays/ without settings.yaml: not environments, so nothing renders or checks them. */
export function overlayFolderWarnings(root: string): GateWarning[] {
  const dir = path.join(root, "overlays");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !fs.existsSync(path.join(dir, d.name, "settings.yaml")))
    .map((d) => d.name)
    .sort()
    // (A misnamed settings file there, settings.yml for instance, is bad input: loadEnvironments stops first.)
    .map((name) => ({ code: "not-an-environment", file: `overlays/${name}`, message: `overlays/${name} has no settings.yaml: it is not an environment and is neither generated nor checked (add settings.yaml, or remove the folder)` }));
}

/** Config exemptions that exempted no finding of any overlay (checked against the findings of the whole gate). */
export function unusedExemptions(config: PolicyConfig, findings: readonly Finding[], configFile: string): GateWarning[] {
  const used = new Set<string>();
  for (const f of findings) {
    if (f.exempted?.source !== "config") continue;
    // The engine applies the first matching entry (configExemptionFor): the same one is credited here.
    const e = config.exemptions.find(
      (e) =>
        globMatches(e.rule, f.ruleId) &&
        globMatches(e.kind, f.object.kind) &&
        globMatches(e.name, f.object.name) &&
        globMatches(e.namespace, f.object.namespace ?? "") &&
        (e.overlay === undefined || (f.overlay !== undefined && globMatches(e.overlay, f.overlay))),
    );
    if (e) used.add(e.key);
  }
  const lineOfEntry = exemptionLines(configFile);
  return config.exemptions
    .filter((e) => !used.has(e.key))
    .map((e) => {
      const scope = Object.entries({ kind: e.kind, name: e.name, namespace: e.namespace, overlay: e.overlay })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");
      const index = Number(/\[(\d+)\]/.exec(e.key)?.[1] ?? -1);
      return {
        code: "unused-exemption",
        file: relativeToRepo(configFile),
        ...(lineOfEntry.has(index) ? { line: lineOfEntry.get(index)! } : {}),
        message: `${e.key} (rule ${e.rule}${scope ? `, ${scope}` : ""}) matches no finding: remove it, or fix its fields`,
      };
    });
}

/** 1-based line of each exemptions[i] entry in the config file. */
function exemptionLines(configFile: string): Map<number, number> {
  const out = new Map<number, number>();
  if (!fs.existsSync(configFile)) return out;
  const counter = new LineCounter();
  const doc = parseDocument(fs.readFileSync(configFile, "utf8"), { lineCounter: counter });
  const list = doc.get("exemptions", true);
  if (isSeq(list)) list.items.forEach((item, i) => {
    const range = (item as { range?: [number, number, number] }).range;
    if (range) out.set(i, counter.linePos(range[0]).line);
  });
  return out;
}

/** gateway.config keys the pinned gateway does not read (it ignores unknown variables without a word). */
export function gatewayConfigWarnings(root: string, env: string, settings: Settings): GateWarning[] {
  const file = rel(root, path.join(root, "overlays", env, "settings.yaml"));
  const unknown = unknownGatewayConfigKeys(settings.gateway.config);
  // The file's text only for the lines of what is found (the settings were loaded once, without positions).
  const text = unknown.length && fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), "utf8").split("\n") : [];
  return unknown.map(({ key, suggestion }) => {
    const line = text.findIndex((l) => new RegExp(`^\\s+["']?${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']?\\s*:`).test(l));
    return {
      target: env,
      code: "unknown-gateway-config",
      file,
      ...(line >= 0 ? { line: line + 1 } : {}),
      message: `gateway.config.${key} is not a setting gateway ${GATEWAY_CONFIG_VERSION} reads, so it is ignored${suggestion ? `: did you mean ${suggestion}?` : ""}`,
    };
  });
}
