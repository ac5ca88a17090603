// The public API: create an engine (built-in rules plus plugins), read manifests, evaluate, render reports.
export * from "./engine.ts";
export { BUILTIN_SCHEMAS_MODULE, builtinSchemasModule } from "./builtin-schemas.ts";
export * from "./errors.ts";
export * from "./types.ts";
export * from "./helpers.ts";
export { ObjectIndex, type Workload } from "./object-index.ts";
export { parseManifests, readManifests, splitDocuments, type DocumentChunk } from "./input.ts";
export { backendRefs, gatewayParents, hostnameMatches, hostnameProblem, selectedListeners, type BackendRef, type ParentRef } from "./routes.ts";
export { EMPTY_CONFIG, globMatches, type ConfigExemption, type PolicyConfig } from "./config.ts";
export { BUILTIN_PROFILES, STRICTEST_PROFILE, type Profile } from "./profiles.ts";
export { resolveEnv, configMapEntries, secretEntries, type EnvVar, type ResolvedEnv } from "./env.ts";
export { ruleAnchor, rulesTable } from "./docs.ts";
export { instantiate, TEMPLATES, type RuleTemplate, type TemplateInstance, type TemplateParameter } from "./templates.ts";
export { renderJson } from "./report/json.ts";
export { renderSarif } from "./report/sarif.ts";
export { renderText } from "./report/text.ts";
