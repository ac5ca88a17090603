// Maps objects of a rendered overlay back to the repository file that defines them (base/, components/ or
// the overlay's own files), so text and SARIF locations point at something a reviewer can open, at the line
// of the offending field (the generated file is parsed with positions when a finding needs a line).
import { kindOf, nameOf, parseManifests, type SourceObject } from "@mcp-stack/policy-engine";
import { withoutHashSuffix } from "../scripts/lib/hash-suffix.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "credentials" ? [] : yamlFiles(full);
    // An overlay's settings.yaml defines no object (and is read once per run, by the settings loader).
    return /\.ya?ml$/.test(e.name) && e.name !== "settings.yaml" ? [full] : [];
  });
}

// The gate locates every overlay against the same base/ and components/ files: each file is parsed once per content.
const parsed = new Map<string, { text: string; docs: SourceObject[] }>();

function parseFile(file: string, repoRoot: string): SourceObject[] {
  const text = fs.readFileSync(file, "utf8");
  const key = `${repoRoot}\0${file}`;
  const hit = parsed.get(key);
  if (hit?.text === text) return hit.docs;
  const docs = parseManifests(text, path.relative(repoRoot, file), { lenient: true });
  parsed.set(key, { text, docs });
  return docs;
}

export function locateSources(rendered: SourceObject[], dirs: readonly string[], repoRoot: string, fallback: { file: string; line: number }): SourceObject[] {
  type Where = { name: string; file: string; line: number; locate?: SourceObject["locate"] };
  const defined = new Map<string, Where>();
  const byKind = new Map<string, Where[]>();
  for (const dir of dirs) {
    for (const file of yamlFiles(dir)) {
      let docs: SourceObject[];
      try {
        docs = parseFile(file, repoRoot);
      } catch {
        continue; // a file we cannot read is simply not a location candidate
      }
      for (const d of docs) {
        const k = `${kindOf(d.object)}/${nameOf(d.object)}`;
        const where = { name: nameOf(d.object), file: d.file, line: d.line, locate: d.locate };
        if (!defined.has(k)) defined.set(k, where);
        const list = byKind.get(kindOf(d.object)) ?? [];
        list.push(where);
        byKind.set(kindOf(d.object), list);
      }
    }
  }
  return rendered.map((s) => {
    const kind = kindOf(s.object);
    const name = nameOf(s.object);
    const where =
      defined.get(`${kind}/${name}`) ??
      defined.get(`${kind}/${withoutHashSuffix(name)}`) ??
      // a namePrefix/nameSuffix added by the overlay: the longest source name it extends
      (byKind.get(kind) ?? [])
        .filter((d) => d.name !== "" && (name.endsWith(d.name) || name.startsWith(d.name)))
        .sort((a, b) => b.name.length - a.name.length)[0];
    // Objects kustomize generates (ConfigMaps and Secrets from generators) are located at the kustomization.
    if (!where) return { object: s.object, file: fallback.file, line: fallback.line };
    return { object: s.object, file: where.file, line: where.line, ...(where.locate ? { locate: where.locate } : {}) };
  });
}
