// Hand-written extras of an overlay (settings extraResources, extraPatches): checked before kustomize reads them,
// so a mistake is reported against the user's file and setting, never as kustomize's message about a scratch
// folder. Each file must lie in the overlay folder, exist, parse, and say what kustomize needs: a resource names
// its object (apiVersion, kind, metadata.name) and does not clash with a rendered one; a patch matches an object
// the overlay renders (a strategic-merge patch by kind, name and namespace as the base names them, a target by
// its kind and name patterns); a JSON 6902 patch is a list of operations and needs a target.
import type { Stats } from "node:fs";
import { LineCounter, parseAllDocuments } from "yaml";
import type { Settings } from "../settings/schema.ts";
import { lineOfSetting, MAX_SETTINGS_BYTES, SettingsError } from "../settings/load.ts";
import { isGenerated } from "./emit.ts";
import { extraFiles, type ExtraFile } from "../lib/extras.ts";
import { KUSTOMIZATION_FILES } from "../lib/kustomize-cache.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

/** An object as a patch of the overlay sees it: its name at patch time, its namespace before the overlay's. */
export interface PatchableObject {
  apiVersion: string;
  kind: string;
  name: string;
  /** undefined: cluster-scoped. */
  namespace?: string;
}

interface Problem {
  path: string;
  message: string;
  expected: string;
}

const JSON_PATCH_OPS = new Set(["add", "remove", "replace", "move", "copy", "test"]);
const RESERVED = new Set(["settings.yaml", ...KUSTOMIZATION_FILES]);

/** Throws a SettingsError (exit 2) naming settings.yaml's key, its line and the extra file, for every problem found. */
export function checkExtras(s: Settings, env: string, root: string, rendered: PatchableObject[], baseNamespace: string): void {
  const files = extraFiles(s, env, root);
  if (!files.length) return;
  const problems: Problem[] = [];
  const overlay = path.join(root, "overlays", env);
  const docsOf = new Map<string, unknown[]>();
  for (const f of files) {
    const p = fileProblem(f, overlay);
    if ("message" in p) problems.push({ path: f.key, message: `${f.shown}: ${p.message}`, expected: p.expected });
    else {
      const docs = parsed(f, p.text, problems);
      if (docs) docsOf.set(f.key, docs);
    }
  }
  // Objects the extra resources add are patchable too, and must not clash with rendered ones.
  const objects = [...rendered];
  s.extraResources.forEach((_, i) => {
    const f = files.find((x) => x.key === `extraResources.${i}`)!;
    (docsOf.get(f.key) ?? []).forEach((doc, d) => {
      const where = `${f.shown}${docsOf.get(f.key)!.length > 1 ? ` (document ${d + 1})` : ""}`;
      const o = doc as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
      const missing = missingIdentity(o);
      if (missing.length) {
        problems.push({ path: f.key, message: `${where}: not a Kubernetes object (no ${missing.join(", ")})`, expected: "a manifest with apiVersion, kind and metadata.name" });
        return;
      }
      if (o.kind === "Kustomization" || o.kind === "Component") {
        problems.push({ path: f.key, message: `${where}: is a kustomization, not a resource`, expected: "a Kubernetes manifest (kustomize content belongs in settings)" });
        return;
      }
      const clash = rendered.find((r) => r.kind === o.kind && r.name === o.metadata!.name && group(r.apiVersion) === group(String(o.apiVersion)));
      if (clash) {
        problems.push({
          path: f.key,
          message: `${where}: ${o.kind} ${clash.name} is already rendered by the stack (kustomize refuses two objects of one id)`,
          expected: `another name, or the change as an extraPatches file on ${o.kind} ${clash.name}`,
        });
        return;
      }
      objects.push({ apiVersion: String(o.apiVersion), kind: String(o.kind), name: String(o.metadata!.name), ...(typeof o.metadata?.namespace === "string" ? { namespace: o.metadata.namespace } : {}) });
    });
  });
  s.extraPatches.forEach((p, i) => {
    const f = files.find((x) => x.key === `extraPatches.${i}.path`)!;
    const docs = docsOf.get(f.key);
    if (!docs) return;
    problems.push(...patchProblems(f, docs, p.target, objects, baseNamespace, `extraPatches.${i}`));
  });
  if (!problems.length) return;
  const settingsFile = path.join(root, "overlays", env, "settings.yaml");
  const text = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, "utf8") : "";
  throw new SettingsError(
    path.posix.join("overlays", env, "settings.yaml"),
    problems.map((p) => ({ ...p, line: lineOfSetting(text, p.path) })),
  );
}

/** The identity fields kustomize needs that `o` lacks; an empty string is missing too (kustomize refuses an empty name). */
function missingIdentity(o: { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } }): string[] {
  const present = (v: unknown) => typeof v === "string" && v !== "";
  return [
    ...(present(o.apiVersion) ? [] : ["apiVersion"]),
    ...(present(o.kind) ? [] : ["kind"]),
    ...(present(o.metadata?.name) ? [] : ["metadata.name"]),
  ];
}

const group = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0] : "");

/** Where the file is and whether kustomize could read it at all: a problem, or the file's text. */
function fileProblem(f: ExtraFile, overlay: string): { message: string; expected: string } | { text: string } {
  const rel = path.relative(overlay, path.resolve(overlay, f.file));
  const outside = { message: "file is outside the overlay folder (kustomize reads only files in or below it)", expected: `a path inside ${f.folder} (copy the file there)` };
  if (rel.startsWith("..") || path.isAbsolute(rel)) return outside;
  const first = rel.split(path.sep)[0]!;
  if (RESERVED.has(rel) || first === "credentials") {
    return { message: `${rel} is not a hand-written extra (it is ${first === "credentials" ? "local credentials" : rel === "settings.yaml" ? "the settings" : "generated"})`, expected: "a hand-written manifest or patch of your own" };
  }
  let stat: Stats;
  try {
    stat = fs.statSync(f.abs);
  } catch {
    return { message: "file does not exist", expected: `a file in ${f.folder}` };
  }
  try {
    const real = fs.realpathSync(f.abs);
    const realOverlay = fs.realpathSync(overlay);
    const r = path.relative(realOverlay, real);
    if (r.startsWith("..") || path.isAbsolute(r)) return { ...outside, message: "file is a link to outside the overlay folder (kustomize reads only files in or below it)" };
  } catch {
    // a path that cannot be resolved: the read below reports it
  }
  if (!stat.isFile()) return { message: "is not a file", expected: "a .yaml file" };
  if (stat.size > MAX_SETTINGS_BYTES) return { message: `is ${stat.size} bytes`, expected: "a manifest or patch under 1 MiB" };
  let text: string;
  try {
    text = fs.readFileSync(f.abs, "utf8");
  } catch (err) {
    return { message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, expected: "a file the generator may read" };
  }
  if (isGenerated(text)) return { message: "is a generated file (it carries the \"Generated by\" header)", expected: "a hand-written file: the generator rewrites or removes its own" };
  return { text };
}

/** The file's YAML documents (nulls dropped); syntax errors are problems with the file's own line. */
function parsed(f: ExtraFile, text: string, problems: Problem[]): unknown[] | undefined {
  if (text.includes("\0") || text.includes("\uFFFD")) {
    problems.push({ path: f.key, message: `${f.shown}: not a UTF-8 text file`, expected: "a YAML file" });
    return undefined;
  }
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const errors = list.flatMap((d) => d.errors);
  if (errors.length) {
    const e = errors[0]!;
    problems.push({ path: f.key, message: `${f.shown}:${lines.linePos(e.pos[0]).line}: YAML syntax error: ${e.message.split("\n")[0]}`, expected: "valid YAML" });
    return undefined;
  }
  try {
    const out = list.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown).filter((d) => d !== null && d !== undefined);
    const scalar = out.find((d) => typeof d !== "object");
    if (scalar !== undefined || !out.length) {
      problems.push({ path: f.key, message: `${f.shown}: ${out.length ? `holds a single value (${JSON.stringify(scalar)})` : "is empty"}`, expected: "a manifest or a patch" });
      return undefined;
    }
    return out;
  } catch (err) {
    problems.push({ path: f.key, message: `${f.shown}: YAML rejected: ${(err as Error).message}`, expected: "plain YAML without alias expansion" });
    return undefined;
  }
}

function regex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
}

function patchProblems(
  f: ExtraFile,
  docs: unknown[],
  target: { kind?: string; name?: string } | undefined,
  objects: PatchableObject[],
  baseNamespace: string,
  key: string,
): Problem[] {
  const out: Problem[] = [];
  const jsonPatch = docs.length === 1 && Array.isArray(docs[0]);
  if (docs.some((d) => Array.isArray(d)) && !jsonPatch) {
    return [{ path: f.key, message: `${f.shown}: mixes a JSON 6902 patch (a list) with other documents`, expected: "one JSON 6902 list, or strategic-merge patches" }];
  }
  if (target) {
    const kind = target.kind === undefined ? undefined : regex(target.kind);
    const name = target.name === undefined ? undefined : regex(target.name);
    for (const [field, value, re] of [["kind", target.kind, kind], ["name", target.name, name]] as const) {
      if (value !== undefined && !re) out.push({ path: `${key}.target.${field}`, message: `${JSON.stringify(value)} is not a valid pattern`, expected: "a name, or a regular expression kustomize accepts" });
    }
    if (out.length) return out;
    if (target.kind === undefined && target.name === undefined) {
      out.push({ path: `${key}.target`, message: "selects every object (no kind, no name)", expected: "target.kind and/or target.name" });
    } else if (!objects.some((o) => (!kind || kind.test(o.kind)) && (!name || name.test(o.name)))) {
      const sameKind = objects.filter((o) => !kind || kind.test(o.kind)).map((o) => o.name);
      out.push({
        path: `${key}.target`,
        message: `${f.shown}: no object matches target ${JSON.stringify(target)} (the patch would change nothing)`,
        expected: sameKind.length ? `a name among ${[...new Set(sameKind)].sort().slice(0, 12).join(", ")}` : `a kind among ${[...new Set(objects.map((o) => o.kind))].sort().join(", ")}`,
      });
    }
  }
  if (jsonPatch) {
    if (!target) out.push({ path: `${key}.target`, message: `${f.shown}: is a JSON 6902 patch (a list of operations), which needs a target`, expected: "target: { kind: …, name: … }" });
    (docs[0] as unknown[]).forEach((op, n) => {
      const o = op as { op?: unknown; path?: unknown; value?: unknown; from?: unknown } | null;
      if (!o || typeof o !== "object" || typeof o.op !== "string" || !JSON_PATCH_OPS.has(o.op)) {
        out.push({ path: f.key, message: `${f.shown}: operation ${n + 1} has no valid op`, expected: `op one of ${[...JSON_PATCH_OPS].join(", ")}` });
      } else if (typeof o.path !== "string" || (o.path !== "" && !o.path.startsWith("/"))) {
        out.push({ path: f.key, message: `${f.shown}: operation ${n + 1} (${o.op}) has no JSON pointer path`, expected: "path such as /spec/template/spec/priorityClassName" });
      } else if (["add", "replace", "test"].includes(o.op) && !("value" in o)) {
        out.push({ path: f.key, message: `${f.shown}: operation ${n + 1} (${o.op} ${o.path}) has no value`, expected: "value: …" });
      } else if (["move", "copy"].includes(o.op) && typeof o.from !== "string") {
        out.push({ path: f.key, message: `${f.shown}: operation ${n + 1} (${o.op} ${o.path}) has no from`, expected: "from: a JSON pointer" });
      }
    });
    return out;
  }
  docs.forEach((doc, d) => {
    const where = `${f.shown}${docs.length > 1 ? ` (document ${d + 1})` : ""}`;
    const o = doc as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    if (target) return; // a targeted strategic-merge patch applies to what the target selects
    const missing = missingIdentity(o);
    if (missing.length) {
      out.push({ path: f.key, message: `${where}: a strategic-merge patch names its object, this one has no ${missing.join(", ")}`, expected: "apiVersion, kind and metadata.name of the object to change, or a target" });
      return;
    }
    const named = objects.filter((x) => x.kind === o.kind && x.name === o.metadata!.name);
    const id = `${o.kind} ${String(o.metadata!.name)}`;
    if (!named.length) {
      const ofKind = objects.filter((x) => x.kind === o.kind).map((x) => x.name);
      out.push({
        path: f.key,
        message: `${where}: no object matches ${id}`,
        expected: ofKind.length ? `a ${o.kind} the overlay renders: ${[...new Set(ofKind)].sort().slice(0, 12).join(", ")}` : `a kind the overlay renders: ${[...new Set(objects.map((x) => x.kind))].sort().join(", ")}`,
      });
      return;
    }
    const withVersion = named.filter((x) => x.apiVersion === o.apiVersion);
    if (!withVersion.length) {
      out.push({ path: f.key, message: `${where}: ${id} is rendered as apiVersion ${named[0]!.apiVersion}, not ${String(o.apiVersion)}`, expected: `apiVersion: ${named[0]!.apiVersion}` });
      return;
    }
    const ns = typeof o.metadata!.namespace === "string" && o.metadata!.namespace !== "" ? o.metadata!.namespace : undefined;
    if (!withVersion.some((x) => x.namespace === ns)) {
      const want = withVersion[0]!.namespace;
      out.push({
        path: f.key,
        message: `${where}: no object matches ${id} ${ns ? `in namespace ${ns}` : "without a namespace"}` +
          (want === baseNamespace ? ` (patches match objects as the base names them: namespace ${baseNamespace}, before the overlay's own)` : ""),
        expected: want ? `metadata.namespace: ${want}` : "no metadata.namespace (a cluster-scoped object)",
      });
    }
  });
  return out;
}
