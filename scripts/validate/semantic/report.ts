// Semantic problems folded into a kubeconform-shaped result: an object the API server would refuse becomes
// statusInvalid with one validation error per problem (path, message and rule).
import jsyaml from "js-yaml";
import type { ResourceResult } from "@mcp-stack/validate";
import { semanticProblems } from "./objects.ts";

/** Adds the semantic problems of the objects in one YAML document (a List's items included) to their results. */
export function addSemanticProblems(results: ResourceResult[], documentText: string): void {
  const candidates = results.filter((r) => r.status === "statusValid" || r.status === "statusInvalid");
  if (candidates.length === 0) return;
  let objects: unknown[];
  try {
    const doc = jsyaml.load(documentText) as { kind?: unknown; items?: unknown[] } | null;
    objects = doc && doc.kind === "List" && Array.isArray(doc.items) ? doc.items : [doc];
  } catch {
    return; // the schema pass has reported the syntax error already
  }
  for (const r of candidates) {
    const o = objects.find((x) => {
      const y = x as { kind?: unknown; metadata?: { name?: unknown } } | null;
      return y?.kind === r.kind && (y.metadata?.name ?? "") === r.name;
    });
    const problems = semanticProblems(o);
    if (problems.length === 0) continue;
    const errors = problems.map((p) => ({ path: p.path, msg: `${p.message} (rule ${p.rule})` }));
    r.msg = r.status === "statusValid" ? errors.map((e) => `${e.path}: ${e.msg}`).join("; ") : `${r.msg}; ${errors.map((e) => `${e.path}: ${e.msg}`).join("; ")}`;
    r.status = "statusInvalid";
    r.validationErrors = [...(r.validationErrors ?? []), ...errors];
  }
}
