// The project's policy engine: the generic engine (packages/policy-engine) with the MCP stack plugin
// registered. Everything in the project that runs policy goes through this instance.
import { createEngine, STRICTEST_PROFILE, type EvaluateOptions, type PolicyReport, type SourceObject } from "@mcp-stack/policy-engine";
import { mcpStackPlugin } from "./plugin.ts";
const path = process.getBuiltinModule("node:path");
const { fileURLToPath } = process.getBuiltinModule("node:url");

export { DEFAULT_KUBERNETES_VERSION, hasBlockingFindings, parseKubernetesVersion, summarize } from "@mcp-stack/policy-engine";

export const engine = createEngine({ plugins: [mcpStackPlugin] });
export const RULES = engine.rules;
export const PROFILES = engine.profiles;
export { STRICTEST_PROFILE };
export const DEFAULT_CONFIG_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "config.yaml");

export function evaluate(inputs: readonly SourceObject[], options?: EvaluateOptions): PolicyReport {
  return engine.evaluate(inputs, options);
}
