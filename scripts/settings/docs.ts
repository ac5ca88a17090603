// The README's settings reference table and settings.schema.json, both derived from the schema.
import { settingsSchema } from "./schema.ts";
import { GENERATED_MARK } from "../lib/generated.ts";

type SchemaNode = {
  type?: string;
  enum?: readonly unknown[];
  default?: unknown;
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
};

/**
 * The schema as editors see it: keys with a default are optional in a settings.yaml (ajv fills them in
 * before it checks `required`, so the TypeScript schema may list them as required for the types' sake).
 */
export function editorSchema(node: unknown = settingsSchema): unknown {
  if (Array.isArray(node)) return node.map(editorSchema);
  if (!node || typeof node !== "object") return node;
  const n = node as Record<string, unknown>;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(n).map(([k, v]) => [k, k === "default" || k === "enum" ? v : editorSchema(v)]));
  const props = n.properties as Record<string, { default?: unknown }> | undefined;
  if (Array.isArray(n.required) && props) {
    const required = (n.required as string[]).filter((k) => props[k]?.default === undefined);
    if (required.length) out.required = required;
    else delete out.required;
  }
  return out;
}

export function settingsSchemaJson(): string {
  const withMark = {
    $comment: `${GENERATED_MARK} from scripts/settings/schema.ts. Do not edit.`,
    ...(editorSchema() as object),
  };
  return JSON.stringify(withMark, null, 2) + "\n";
}

function typeOf(n: SchemaNode): string {
  if (n.enum) return n.enum.map((v) => `\`${String(v)}\``).join(" \\| ");
  if (n.type === "array") return `list of ${n.items ? typeOf(n.items) : "any"}`;
  if (n.type === "object" && n.additionalProperties && typeof n.additionalProperties === "object") return "map of string";
  return n.type ?? "object";
}

function rows(node: SchemaNode, prefix: string): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const at = prefix ? `${prefix}.${key}` : key;
    if (child.type === "object" && child.properties) {
      if (child.description) out.push(`| \`${at}\` | object | | ${child.description} |`);
      out.push(...rows(child, at));
      continue;
    }
    const def = child.default === undefined ? "" : `\`${JSON.stringify(child.default)}\``;
    out.push(`| \`${at}\` | ${typeOf(child)} | ${def} | ${(child.description ?? "").replace(/\|/g, "\\|")} |`);
    // A list of objects: one row per field of its items (`extraPatches[].path`), not just "list of object".
    if (child.type === "array" && child.items?.properties) out.push(...rows(child.items, `${at}[]`));
  }
  return out;
}

export function settingsTable(): string {
  return ["| key | type | default | description |", "| --- | --- | --- | --- |", ...rows(settingsSchema as SchemaNode, "")].join("\n");
}

/**
 * README with a generated region replaced: the text between `<!-- <name>:begin … -->` and `<!-- <name>:end -->`.
 * Unchanged when the markers are absent.
 */
export function withReadmeRegion(readme: string, name: string, content: string): string {
  const begin = readme.match(new RegExp(`<!-- ${name}:begin[^>]*-->`));
  const end = readme.indexOf(`<!-- ${name}:end -->`);
  if (!begin || begin.index === undefined || end < begin.index) return readme;
  const from = begin.index + begin[0].length;
  return `${readme.slice(0, from)}\n${content}\n${readme.slice(end)}`;
}

export const withSettingsTable = (readme: string) => withReadmeRegion(readme, "settings-table", settingsTable());
