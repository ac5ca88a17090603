// Maps objects of a rendered overlay back to the repository file that defines them (base/*.yaml or
// the overlay's own files), so text and SARIF locations point at something a reviewer can open.
import fs from "node:fs";
import path from "node:path";
import { kindOf, nameOf, parseManifests, type SourceObject } from "@mcp-stack/policy-engine";
import { withoutHashSuffix } from "../scripts/lib/manifest.ts";

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "credentials" ? [] : yamlFiles(full);
    return /\.ya?ml$/.test(e.name) ? [full] : [];
  });
}

/** kustomize appends a 10-character hash to generated ConfigMap/Secret names. */

export function locateSources(rendered: SourceObject[], dirs: readonly string[], repoRoot: string, fallback: { file: string; line: number }): SourceObject[] {
  const defined = new Map<string, { file: string; line: number }>();
  const byKind = new Map<string, { name: string; file: string; line: number }[]>();
  for (const dir of dirs) {
    for (const file of yamlFiles(dir)) {
      let docs: SourceObject[];
      try {
        docs = parseManifests(fs.readFileSync(file, "utf8"), path.relative(repoRoot, file), { lenient: true });
      } catch {
        continue; // a file we cannot read is simply not a location candidate
      }
      for (const d of docs) {
        const k = `${kindOf(d.object)}/${nameOf(d.object)}`;
        if (!defined.has(k)) defined.set(k, { file: d.file, line: d.line });
        const list = byKind.get(kindOf(d.object)) ?? [];
        list.push({ name: nameOf(d.object), file: d.file, line: d.line });
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
      // a namePrefix/nameSuffix added by the overlay
      (byKind.get(kind) ?? []).find((d) => d.name !== "" && (name.endsWith(d.name) || name.startsWith(d.name))) ??
      fallback;
    return { object: s.object, file: where.file, line: where.line };
  });
}
