// How objects become files: one YAML file per object, stable names and key order, a header naming the source.
import { toYaml } from "../lib/yaml.ts";

import { GENERATED_MARK, header } from "../lib/generated.ts";

export { toYaml, GENERATED_MARK, header };

/** True for files this generator wrote (it never overwrites or deletes anything else). */
export function isGenerated(content: string): boolean {
  return content.startsWith(GENERATED_MARK) || content.startsWith(`// ${GENERATED_MARK.slice(2)}`) || content.includes(`"$comment": "${GENERATED_MARK}`);
}

export function yamlFile(source: string, value: unknown): string {
  return header(source) + toYaml(value);
}

/** kustomize env file (KEY=value per line; values are taken verbatim, so no quoting). */
export function envFile(source: string, data: Record<string, string>): string {
  return (
    header(source) +
    Object.entries(data)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n") +
    "\n"
  );
}

export function fileNameFor(o: { kind: string; metadata?: { name?: string } }): string {
  return `${o.kind.toLowerCase()}-${o.metadata?.name ?? "unnamed"}.yaml`;
}

/** Plain JSON of a kubernetes-models object (undefined dropped, insertion order kept). */
export function plain<T>(o: { toJSON(): T } | T): T {
  const json = typeof (o as { toJSON?: unknown }).toJSON === "function" ? (o as { toJSON(): T }).toJSON() : o;
  return JSON.parse(JSON.stringify(json)) as T;
}
