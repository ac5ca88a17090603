// `npm run diff`: what a change does to the rendered manifests. Every overlay (and the root Argo CD
// kustomization) is rendered at a base git ref and in the working tree; objects are matched by
// group/kind/namespace/name and listed as added, removed or changed, each change with a unified YAML diff.
// Secret values are never shown: a changed value reads `***` -> `*** (changed)`. kustomize's hash suffixes
// are taken off generated names, so a changed ConfigMap is a change (noted as a rename), not remove + add.
import { createTwoFilesPatch } from "diff";
import { stringify } from "yaml";
import { EXIT, InputError, UsageError, parseCli, runMain, type Io, processIo } from "./lib/cli.ts";
import { kustomizeBuild } from "./lib/kustomize.ts";
import { renderOverlay } from "./lib/render.ts";
import { objectKey, objectLabel, parseManifests, stripHashSuffixes, withoutHashSuffix, type Manifest } from "./lib/manifest.ts";
import { listClusterOverlays, listOverlays, loadEnvironments } from "./lib/overlays.ts";
import { REPO_ROOT } from "./lib/paths.ts";
const { execFile } = process.getBuiltinModule("node:child_process");
const fs = process.getBuiltinModule("node:fs");
const os = process.getBuiltinModule("node:os");
const path = process.getBuiltinModule("node:path");
const { promisify } = process.getBuiltinModule("node:util");
const { pathToFileURL } = process.getBuiltinModule("node:url");

const run = promisify(execFile);

const USAGE = `Usage: npm run diff -- [--base REF] [--format text|markdown]

Renders every overlay (and the root Argo CD kustomization) at REF and in the working tree and prints,
per overlay, the objects added, removed and changed, with a unified YAML diff of each change.
Secret values are masked.

  --base REF         git ref to compare with (default: merge-base with origin/main, else HEAD)
  --format FORMAT    text (default) or markdown (a pull-request comment)
  -h, --help         this text

Exit codes: 0 diff printed (whether or not anything changed), 2 bad ref or usage.`;

export interface ObjectChange {
  id: string;
  kind: string;
  name: string;
  namespace?: string;
  /** Generated names whose hash suffix changed: old -> new. */
  renamed?: [string, string];
  patch: string;
}

export interface TargetDiff {
  target: string;
  added: string[];
  removed: string[];
  changed: ObjectChange[];
  /** A render that failed on either side. */
  errors: string[];
}

export const label = objectLabel;

/** Secret values become `***`; a value that differs from the other side becomes `*** (changed)`. */
export function maskSecret(o: Manifest, other?: Manifest): Manifest {
  if (o.kind !== "Secret") return o;
  const masked: Manifest = { ...o };
  for (const field of ["data", "stringData"] as const) {
    const values = o[field];
    if (!values || typeof values !== "object") continue;
    const theirs = (other?.[field] ?? {}) as Record<string, unknown>;
    masked[field] = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, other && k in theirs && theirs[k] !== v ? "*** (changed)" : "***"]),
    );
  }
  return masked;
}

const toYaml = (o: unknown) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false });

/** Compares two renderings of one target. */
export function diffObjects(target: string, before: Manifest[], after: Manifest[]): TargetDiff {
  const a = stripHashSuffixes(before);
  const b = stripHashSuffixes(after);
  const beforeById = new Map(a.objects.map((o) => [objectKey(o), o]));
  const afterById = new Map(b.objects.map((o) => [objectKey(o), o]));
  const result: TargetDiff = { target, added: [], removed: [], changed: [], errors: [] };
  for (const [id, o] of afterById) if (!beforeById.has(id)) result.added.push(label(o));
  for (const [id, o] of beforeById) if (!afterById.has(id)) result.removed.push(label(o));
  for (const [id, now] of afterById) {
    const was = beforeById.get(id);
    if (!was) continue;
    const oldText = toYaml(maskSecret(was));
    const newText = toYaml(maskSecret(now, was));
    const name = now.metadata?.name ?? "";
    const oldFull = a.hashed.get(name);
    const newFull = b.hashed.get(name);
    const renamed: [string, string] | undefined = oldFull && newFull && oldFull !== newFull ? [oldFull, newFull] : undefined;
    if (oldText === newText && !renamed) continue;
    const patch =
      oldText === newText
        ? ""
        : createTwoFilesPatch(`a/${label(was)}`, `b/${label(now)}`, oldText, newText, undefined, undefined, { context: 3 })
            .split("\n")
            .filter((l, i) => !(i < 2 && /^(=+|Index: .*)$/.test(l))) // keep from the ---/+++ header on
            .join("\n");
    result.changed.push({ id, kind: now.kind ?? "", name, namespace: now.metadata?.namespace, ...(renamed ? { renamed } : {}), patch });
  }
  result.added.sort();
  result.removed.sort();
  result.changed.sort((x, y) => x.id.localeCompare(y.id));
  return result;
}

async function git(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run("git", args, { cwd, maxBuffer: 512 * 1024 * 1024, encoding: "buffer" as BufferEncoding });
  return stdout.toString();
}

/** The default base: the merge-base with origin/main when that exists, else HEAD. */
async function defaultBase(root: string): Promise<string> {
  try {
    await git(["rev-parse", "--verify", "--quiet", "origin/main^{commit}"], root);
    return (await git(["merge-base", "HEAD", "origin/main"], root)).trim();
  } catch {
    return "HEAD";
  }
}

async function resolveRef(root: string, ref: string): Promise<string> {
  try {
    return (await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], root)).trim();
  } catch {
    throw new UsageError(`unknown git ref: ${ref}`, { expected: "a branch, tag or commit of this repository" });
  }
}

/** The tree at `commit`, exported with `git archive` (no worktree bookkeeping), plus the git-ignored local credentials. */
async function checkout(root: string, commit: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-stack-diff-"));
  const tar = path.join(dir, ".tree.tar");
  await run("git", ["archive", "--format=tar", "-o", tar, commit], { cwd: root });
  await run("tar", ["-xf", tar, "-C", dir]);
  fs.rmSync(tar);
  for (const env of listOverlays(path.join(root, "overlays"))) {
    const creds = path.join(root, "overlays", env, "credentials");
    const dest = path.join(dir, "overlays", env);
    if (fs.existsSync(creds) && fs.existsSync(dest)) fs.cpSync(creds, path.join(dest, "credentials"), { recursive: true });
  }
  return dir;
}

/** Every target a tree renders: overlays/<env> and the root kustomization, each as objects or an error. */
async function renderTree(root: string): Promise<Map<string, Manifest[] | Error>> {
  const overlaysRoot = path.join(root, "overlays");
  const settings = loadEnvironments(overlaysRoot);
  const targets = [...settings.keys()].map((env) => ({ name: env, dir: path.join(overlaysRoot, env) }));
  // Fleets: every cluster overlay is a target of its own ("eks/eu-canary").
  for (const c of listClusterOverlays(root)) targets.push({ name: `${c.env}/${c.cluster}`, dir: path.join(root, c.dir) });
  if (fs.existsSync(path.join(root, "kustomization.yaml"))) targets.push({ name: "(root)", dir: root });
  const rendered = await Promise.all(
    targets.map(async ({ name, dir }): Promise<[string, Manifest[] | Error]> => {
      try {
        if (dir === root || !settings.has(name)) return [name, parseManifests((await kustomizeBuild(dir)).yaml)];
        const r = await renderOverlay(name, settings.get(name)!, overlaysRoot);
        let objects = parseManifests(r.yaml);
        // Throwaway local credentials differ on every render: their values and hash suffixes (in the Secrets'
        // names and every reference) are not a change worth showing.
        if (r.placeholders) {
          const secrets = objects.filter((o) => o.kind === "Secret").map((o) => withoutHashSuffix(o.metadata.name));
          objects = stripHashSuffixes(objects, secrets).objects;
          for (const o of objects) if (o.kind === "Secret" && o.data) o.data = Object.fromEntries(Object.keys(o.data).map((k) => [k, "(local credential)"]));
        }
        return [name, objects];
      } catch (err) {
        return [name, err instanceof InputError ? new Error(err.format()) : (err as Error)];
      }
    }),
  );
  return new Map(rendered);
}

export async function diffTrees(baseRoot: string, headRoot: string): Promise<TargetDiff[]> {
  const [before, after] = await Promise.all([renderTree(baseRoot), renderTree(headRoot)]);
  const names = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => (a === "(root)" ? 1 : b === "(root)" ? -1 : a.localeCompare(b)));
  return names.map((name) => {
    const was = before.get(name) ?? [];
    const now = after.get(name) ?? [];
    const errors = [
      ...(was instanceof Error ? [`base: ${was.message}`] : []),
      ...(now instanceof Error ? [`working tree: ${now.message}`] : []),
    ];
    if (errors.length) return { target: name, added: [], removed: [], changed: [], errors };
    return diffObjects(name, was as Manifest[], now as Manifest[]);
  });
}

export async function diffAgainst(root: string, ref: string | undefined): Promise<{ base: string; commit: string; diffs: TargetDiff[] }> {
  const base = ref ?? (await defaultBase(root));
  const commit = await resolveRef(root, base);
  const dir = await checkout(root, commit);
  try {
    return { base, commit, diffs: await diffTrees(dir, root) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const count = (d: TargetDiff) => `${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`;
const unchanged = (d: TargetDiff) => !d.errors.length && !d.added.length && !d.removed.length && !d.changed.length;

export function formatText(base: string, diffs: TargetDiff[]): string {
  const out: string[] = [];
  for (const d of diffs) {
    out.push(`== ${d.target}: ${d.errors.length ? "render failed" : unchanged(d) ? "no changes" : count(d)}`);
    for (const e of d.errors) out.push(`  ! ${e}`);
    for (const a of d.added) out.push(`  + ${a}`);
    for (const r of d.removed) out.push(`  - ${r}`);
    for (const c of d.changed) {
      out.push(`  ~ ${c.kind} ${c.namespace ? `${c.namespace}/` : ""}${c.name}${c.renamed ? ` (renamed ${c.renamed[0]} -> ${c.renamed[1]}: pods using it roll)` : ""}`);
      if (c.patch) out.push(c.patch.trimEnd().split("\n").map((l) => `    ${l}`).join("\n"));
    }
  }
  out.push(...fleetSummary(diffs));
  const total = diffs.filter((d) => !unchanged(d)).length;
  out.push(`${total ? `${total} of ${diffs.length} targets differ` : "no rendered changes"} from ${base}`);
  return out.join("\n") + "\n";
}

/**
 * One line per fleet: how many of its clusters change, and how, grouped by the same change (the kinds and names
 * touched), so a rollout over a hundred clusters reads as "98 alike, 2 different".
 */
export function fleetSummary(diffs: TargetDiff[]): string[] {
  const fleets = new Map<string, TargetDiff[]>();
  for (const d of diffs) {
    const env = /^([^/()]+)\/[^/]+$/.exec(d.target)?.[1];
    if (env) fleets.set(env, [...(fleets.get(env) ?? []), d]);
  }
  const out: string[] = [];
  for (const [env, clusters] of fleets) {
    const changed = clusters.filter((d) => !unchanged(d));
    out.push(`fleet ${env}: ${changed.length} of ${clusters.length} clusters change`);
    const groups = new Map<string, string[]>();
    for (const d of changed) {
      const what = d.errors.length ? "render failed" : [...d.added.map((a) => `+${a}`), ...d.removed.map((r) => `-${r}`), ...d.changed.map((c) => `~${c.kind}/${c.name}`)].sort().join(", ");
      groups.set(what, [...(groups.get(what) ?? []), d.target.slice(env.length + 1)]);
    }
    for (const [what, names] of groups) out.push(`  ${names.length} alike (${names.join(", ")}): ${what}`);
  }
  return out;
}

/** GitHub comments hold 65,536 characters; longer diffs are cut with a note. */
const MARKDOWN_LIMIT = 60_000;

export function formatMarkdown(base: string, diffs: TargetDiff[]): string {
  const out: string[] = ["<!-- mcp-stack-diff -->", `### Rendered manifests: changes against \`${base}\``, ""];
  const differing = diffs.filter((d) => !unchanged(d));
  if (!differing.length) out.push("No rendered object changes in any overlay.");
  else {
    out.push("| target | added | removed | changed |", "|---|---:|---:|---:|");
    for (const d of diffs) out.push(`| ${d.target} | ${d.added.length} | ${d.removed.length} | ${d.changed.length}${d.errors.length ? " (render failed)" : ""} |`);
  }
  for (const d of differing) {
    out.push("", `#### ${d.target}`);
    for (const e of d.errors) out.push(`- :warning: ${e}`);
    for (const a of d.added) out.push(`- added \`${a}\``);
    for (const r of d.removed) out.push(`- removed \`${r}\``);
    for (const c of d.changed) {
      const title = `${c.kind} ${c.namespace ? `${c.namespace}/` : ""}${c.name}${c.renamed ? ` (renamed \`${c.renamed[0]}\` → \`${c.renamed[1]}\`)` : ""}`;
      out.push(c.patch ? `<details><summary>changed ${title}</summary>\n\n\`\`\`diff\n${c.patch.trimEnd()}\n\`\`\`\n</details>` : `- changed ${title}`);
    }
  }
  const fleets = fleetSummary(diffs);
  if (fleets.length) out.push("", "#### Fleets", "", ...fleets.map((l) => (l.startsWith("  ") ? `  - ${l.trim()}` : `- ${l}`)));
  let text = out.join("\n") + "\n";
  if (text.length > MARKDOWN_LIMIT) {
    text = text.slice(0, MARKDOWN_LIMIT) + "\n\n…cut: the diff is too long for a comment; run `npm run diff` locally.\n";
  }
  return text;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const { values, positionals } = parseCli(argv, { base: { type: "string" }, format: { type: "string" } }, USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`, { expected: "options only (see --help)" });
  const format = values.format ?? "text";
  if (format !== "text" && format !== "markdown") throw new UsageError(`unknown format: ${format}`, { expected: "text or markdown" });
  const { base, diffs } = await diffAgainst(REPO_ROOT, values.base);
  io.stdout(format === "markdown" ? formatMarkdown(base, diffs) : formatText(base, diffs));
  return EXIT.clean;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(main);
