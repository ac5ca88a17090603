// Scores the engine on the peers' labelled test fixtures: Polaris (test/checks/<check>/{success,failure}*.yaml),
// kube-linter (tests/checks/*.yml with the expected reports in e2etests/bats-tests.sh) and kube-score
// (score/testdata with the expected grades in score/*_test.go). Only the rules that mapping.json maps to a peer
// check are scored against that check's fixtures. The peers' repositories are read from git directories
// (default /work/.mirror/<owner>+<name>/repo, or --mirror DIR); nothing of theirs is copied here.
//
//   node packages/policy-engine/peers/score.ts [--mirror DIR] [--json] [--details]
import { createEngine, type PolicyEngine } from "../src/engine.ts";
import { parseManifests } from "../src/input.ts";
import { kindOf, nameOf, namespaceOf } from "../src/helpers.ts";
import type { Profile } from "../src/profiles.ts";
import type { Rule, SourceObject } from "../src/types.ts";
const { execFileSync } = process.getBuiltinModule("node:child_process");
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const { pathToFileURL } = process.getBuiltinModule("node:url");
const { parseArgs } = process.getBuiltinModule("node:util");

export const PEERS = { polaris: "FairwindsOps/polaris", "kube-linter": "stackrox/kube-linter", "kube-score": "zegl/kube-score" } as const;
export type Peer = keyof typeof PEERS;

/** Our rules for one peer check; `rules: []` with a note when no rule corresponds (and why). */
export interface MappingEntry {
  rules: string[];
  /** Parameters the peer's check implies, rule id → parameter → value (e.g. kube-linter's three replicas). */
  parameters?: Record<string, Record<string, unknown>>;
  kubernetesVersion?: string;
  note?: string;
  /** Fixtures (file name) where we deliberately differ from the peer, with the reason: listed, not scored. */
  differs?: Record<string, string>;
}
export type Mapping = Record<Peer, Record<string, MappingEntry>>;

export const MAPPING_FILE = path.join(import.meta.dirname, "mapping.json");
/** Rules instantiated from templates for checks that are per-project choices (required labels, annotations). */
export const PEERS_CONFIG_FILE = path.join(import.meta.dirname, "peers.config.yaml");
export const loadMapping = (): Mapping => JSON.parse(fs.readFileSync(MAPPING_FILE, "utf8")) as Mapping;

/** One labelled fixture: a file (or the objects of one kind in it) that the peer's check must flag `expected` times. */
interface Case {
  peer: Peer;
  check: string;
  file: string;
  /** Polaris and kube-score: the whole file fails or passes. kube-linter: per kind, how many objects fail. */
  kind?: string;
  failing: number;
  passing: number;
  /** From the peer's own test configuration (kube-score's RunConfiguration): parameters and rules left out. */
  parameters?: Record<string, Record<string, unknown>>;
  without?: string[];
}

export interface CheckScore {
  peer: Peer;
  check: string;
  rules: string[];
  failures: number;
  caught: number;
  passing: number;
  falseAlarms: number;
  misses: string[];
  alarms: string[];
  /** Fixtures excluded from the score as deliberate differences, with the reason. */
  differences: string[];
}

export interface PeerScore {
  peer: Peer;
  checks: number;
  mapped: number;
  failures: number;
  caught: number;
  passing: number;
  falseAlarms: number;
  perCheck: CheckScore[];
  unscored: string[];
}

class Repo {
  readonly dir: string;
  /** Files listed and not read yet: the next read fetches them too, all in one git process. */
  private listed = new Set<string>();
  private texts = new Map<string, string>();
  constructor(dir: string) {
    this.dir = dir;
  }
  list(under: string): string[] {
    const files = execFileSync("git", ["-C", this.dir, "ls-tree", "-r", "--name-only", "HEAD", under], { encoding: "utf8", maxBuffer: 64 << 20 }).split("\n").filter(Boolean);
    this.want(files);
    return files;
  }
  /** Files about to be read: fetched with the next read. */
  want(files: readonly string[]): void {
    for (const f of files) if (!this.texts.has(f)) this.listed.add(f);
  }
  read(file: string): string {
    const known = this.texts.get(file);
    if (known !== undefined) return known;
    // One `git cat-file --batch` for this file and every listed one (a process per file was most of the scoring time).
    const wanted = [file, ...[...this.listed].filter((f) => f !== file)];
    this.listed.clear();
    const out = execFileSync("git", ["-C", this.dir, "cat-file", "--batch"], { input: wanted.map((f) => `HEAD:${f}\n`).join(""), maxBuffer: 256 << 20 });
    let at = 0;
    for (const f of wanted) {
      const eol = out.indexOf(10, at);
      const header = out.subarray(at, eol).toString("utf8");
      at = eol + 1;
      const m = / (\w+) (\d+)$/.exec(header);
      if (!m) continue; // "<name> missing": an error when it is read
      const size = Number(m[2]);
      if (m[1] === "blob") this.texts.set(f, out.subarray(at, at + size).toString("utf8"));
      at += size + 1;
    }
    const text = this.texts.get(file);
    if (text === undefined) throw new Error(`${this.dir}: cannot read HEAD:${file}`);
    return text;
  }
}

export function mirrorDir(mirror: string, peer: Peer): string | undefined {
  const dir = path.join(mirror, PEERS[peer].replace("/", "+"), "repo");
  return fs.existsSync(dir) ? dir : undefined;
}

function polarisCases(repo: Repo): Case[] {
  return repo
    .list("test/checks")
    .map((file) => ({ file, m: /^test\/checks\/([^/]+)\/(success|failure)[^/]*\.ya?ml$/.exec(file) }))
    .filter((x) => x.m)
    .map(({ file, m }) => ({ peer: "polaris", check: m![1]!, file, failing: m![2] === "failure" ? 1 : 0, passing: m![2] === "success" ? 1 : 0 }));
}

function kubeLinterCases(repo: Repo): Case[] {
  const bats = repo.read("e2etests/bats-tests.sh");
  repo.want([...bats.matchAll(/tmp="([^"]+)"/g)].map((m) => m[1]!));
  const out: Case[] = [];
  for (const block of bats.split(/^@test /m).slice(1)) {
    const file = /tmp="([^"]+)"/.exec(block)?.[1];
    const check = /--include ([\w-]+)/.exec(block)?.[1];
    if (!file || !check) continue;
    const expectedByKind = new Map<string, number>();
    // "Kind: message" or "Kind name: message".
    for (const m of block.matchAll(/\[\[ "\$\{message\d+\}" (?:==|=~) "([A-Z][A-Za-z]+)[ :]/g)) expectedByKind.set(m[1]!, (expectedByKind.get(m[1]!) ?? 0) + 1);
    const count = Number(/\[\[ "\$\{count\}" == "(\d+)" \]\]/.exec(block)?.[1] ?? "NaN");
    let objects: SourceObject[];
    try {
      objects = parseManifests(repo.read(file), file, { lenient: true });
    } catch {
      continue;
    }
    const objectsByKind = new Map<string, number>();
    for (const o of objects) objectsByKind.set(kindOf(o.object), (objectsByKind.get(kindOf(o.object)) ?? 0) + 1);
    // A report names its object's kind only; when the messages listed fewer than `count`, the rest are unknown.
    const listed = [...expectedByKind.values()].reduce((a, b) => a + b, 0);
    if (Number.isFinite(count) && listed < count && expectedByKind.size === 1) {
      const [k] = [...expectedByKind.keys()];
      expectedByKind.set(k!, count);
    }
    for (const [kind, total] of objectsByKind) {
      const failing = Math.min(total, expectedByKind.get(kind) ?? 0);
      out.push({ peer: "kube-linter", check, file, kind, failing, passing: total - failing });
    }
  }
  return out;
}

const FAILING_GRADES = new Set(["GradeCritical", "GradeWarning"]);
const PASSING_GRADES = new Set(["GradeAllOK", "GradeAlmostOK"]);

/** kube-score RunConfiguration fields and what they mean for our rules. */
const KUBE_SCORE_CONFIG: Record<string, (value: string, c: { parameters: Record<string, Record<string, unknown>>; without: string[] }) => void> = {
  MinReplicasDeployment: (v, c) => void (c.parameters["min-replicas"] = { minReplicas: Number(v) }),
  MinReplicasHPA: (v, c) => void (c.parameters["hpa-min-replicas"] = { minReplicas: Number(v) }),
  IgnoreContainerCpuLimitRequirement: (v, c) => void (v === "true" && c.without.push("cpu-limit")),
  IgnoreContainerMemoryLimitRequirement: (v, c) => void (v === "true" && c.without.push("memory-limit")),
  // Optional checks are switched on by name; ours always run.
  EnabledOptionalTests: () => undefined,
  KubernetesVersion: () => undefined,
};

function kubeScoreCases(repo: Repo): Case[] {
  const out: Case[] = [];
  const seen = new Set<string>();
  for (const test of repo.list("score").filter((f) => /^score\/[^/]+_test\.go$/.test(f))) {
    const go = repo.read(test);
    const calls: { name: string; check: string; grade: string; config: string }[] = [];
    for (const m of go.matchAll(/testExpectedScore\(t, "([^"]+)", "([^"]+)", scorecard\.(\w+)\)/g)) calls.push({ name: m[1]!, check: m[2]!, grade: m[3]!, config: "" });
    for (const m of go.matchAll(/testExpectedScoreWithConfig\(\s*t,\s*\[\]ks\.NamedReader\{testFile\("([^"]+)"\)\},([^"]*?)"([^"]+)",\s*scorecard\.(\w+)\)/g)) {
      calls.push({ name: m[1]!, check: m[3]!, grade: m[4]!, config: /RunConfiguration\{([^}]*)\}/.exec(m[2]!)?.[1] ?? "" });
    }
    for (const { name, check, grade, config } of calls) {
      const failing = FAILING_GRADES.has(grade) ? 1 : 0;
      const passing = PASSING_GRADES.has(grade) ? 1 : 0;
      if (failing === 0 && passing === 0) continue;
      const translated = { parameters: {} as Record<string, Record<string, unknown>>, without: [] as string[] };
      let understood = true;
      for (const [, key, value] of config.matchAll(/(\w+):\s*([^,\n]+)/g)) {
        const apply = KUBE_SCORE_CONFIG[key!];
        if (!apply) understood = false;
        else apply(value!.trim(), translated);
      }
      const key = `${check}\u0000${name}\u0000${config.replace(/\s+/g, " ")}`;
      if (!understood || seen.has(key)) continue;
      seen.add(key);
      out.push({ peer: "kube-score", check, file: `score/testdata/${name}`, failing, passing, parameters: translated.parameters, without: translated.without });
    }
  }
  return out;
}

const CASES: Record<Peer, (repo: Repo) => Case[]> = { polaris: polarisCases, "kube-linter": kubeLinterCases, "kube-score": kubeScoreCases };

const objectLabel = (s: SourceObject) => `${kindOf(s.object)} ${namespaceOf(s.object) ? namespaceOf(s.object) + "/" : ""}${nameOf(s.object)}`;

function scoreCheck(engine: PolicyEngine, pool: readonly Rule[], repo: Repo, cases: Case[], entry: MappingEntry): Omit<CheckScore, "peer" | "check" | "rules"> {
  const base = engine.getProfile("production");
  const score = { failures: 0, caught: 0, passing: 0, falseAlarms: 0, misses: [] as string[], alarms: [] as string[], differences: [] as string[] };
  const cache = new Map<string, SourceObject[] | undefined>();
  for (const c of cases) {
    const differs = c.kind === undefined ? entry.differs?.[path.basename(c.file)] : undefined;
    if (differs) {
      score.differences.push(`${path.basename(c.file)}: ${differs}`);
      continue;
    }
    score.failures += c.failing;
    score.passing += c.passing;
    if (!cache.has(c.file)) {
      try {
        cache.set(c.file, parseManifests(repo.read(c.file), c.file, { lenient: true }));
      } catch {
        cache.set(c.file, undefined);
      }
    }
    const objects = cache.get(c.file);
    if (!objects) {
      if (c.failing) score.misses.push(`${c.file} (unparseable)`);
      continue;
    }
    const parameters: Record<string, Record<string, unknown>> = { ...entry.parameters };
    for (const [rule, values] of Object.entries(c.parameters ?? {})) parameters[rule] = { ...parameters[rule], ...values };
    const profile: Profile = { ...base, parameters };
    const rules = pool.filter((r) => entry.rules.includes(r.id) && !c.without?.includes(r.id));
    const report = engine.evaluate(objects, { profile, rules, kubernetesVersion: entry.kubernetesVersion });
    const flaggedObjects = new Set<string>();
    let passing = c.passing;
    for (const f of report.findings) {
      if (c.kind !== undefined && f.object.kind !== c.kind) continue;
      // kube-linter fixtures are scored per object: `<file>#<Kind>/<name>` names one we deliberately differ on.
      const objectDiffers = c.kind !== undefined ? entry.differs?.[`${path.basename(c.file)}#${f.object.kind}/${f.object.name}`] : undefined;
      if (objectDiffers) {
        const note = `${path.basename(c.file)}#${f.object.kind}/${f.object.name}: ${objectDiffers}`;
        if (!score.differences.includes(note)) {
          score.differences.push(note);
          passing--;
          score.passing--;
        }
        continue;
      }
      flaggedObjects.add(`${f.object.kind} ${f.object.namespace ? f.object.namespace + "/" : ""}${f.object.name}`);
    }
    if (c.kind === undefined) {
      const flagged = flaggedObjects.size > 0;
      if (c.failing && flagged) score.caught++;
      else if (c.failing) score.misses.push(c.file);
      if (c.passing && flagged) {
        score.falseAlarms++;
        score.alarms.push(`${c.file}: ${[...new Set(report.findings.map((f) => `${f.ruleId} ${f.message}`))].join("; ")}`);
      }
    } else {
      const flagged = flaggedObjects.size;
      score.caught += Math.min(flagged, c.failing);
      if (flagged < c.failing) score.misses.push(`${c.file} ${c.kind}: ${flagged} of ${c.failing} flagged (${objects.filter((o) => kindOf(o.object) === c.kind).map(objectLabel).join(", ")})`);
      const extra = Math.max(0, flagged - c.failing);
      score.falseAlarms += Math.min(extra, passing);
      if (extra > 0) score.alarms.push(`${c.file} ${c.kind}: ${flagged} flagged, ${c.failing} expected: ${[...flaggedObjects].join(", ")}`);
    }
  }
  return score;
}

export function scorePeer(peer: Peer, repoDir: string, mapping: Mapping, engine: PolicyEngine = createEngine()): PeerScore {
  const repo = new Repo(repoDir);
  const pool = [...engine.rules, ...engine.loadConfig(PEERS_CONFIG_FILE).rules];
  const cases = CASES[peer](repo);
  const byCheck = new Map<string, Case[]>();
  for (const c of cases) byCheck.set(c.check, [...(byCheck.get(c.check) ?? []), c]);
  const perCheck: CheckScore[] = [];
  const unscored: string[] = [];
  for (const [check, list] of [...byCheck].sort(([a], [b]) => a.localeCompare(b))) {
    const entry = mapping[peer][check];
    if (!entry) {
      unscored.push(`${check} (not in mapping.json)`);
      continue;
    }
    if (entry.rules.length === 0) {
      unscored.push(`${check}: ${entry.note ?? "no corresponding rule"}`);
      continue;
    }
    const unknown = entry.rules.filter((id) => !pool.some((r) => r.id === id));
    if (unknown.length > 0) {
      unscored.push(`${check}: mapping.json names unregistered rule(s) ${unknown.join(", ")}`);
      continue;
    }
    perCheck.push({ peer, check, rules: entry.rules, ...scoreCheck(engine, pool, repo, list, entry) });
  }
  const sum = (k: "failures" | "caught" | "passing" | "falseAlarms") => perCheck.reduce((n, c) => n + c[k], 0);
  return { peer, checks: byCheck.size, mapped: perCheck.length, failures: sum("failures"), caught: sum("caught"), passing: sum("passing"), falseAlarms: sum("falseAlarms"), perCheck, unscored };
}

const pct = (a: number, b: number) => (b === 0 ? "–" : `${((100 * a) / b).toFixed(0)} %`);

export function scoreTable(scores: readonly PeerScore[]): string {
  const rows = scores.map(
    (s) => `| ${s.peer} | ${s.mapped} of ${s.checks} | ${s.caught} of ${s.failures} (${pct(s.caught, s.failures)}) | ${s.falseAlarms} of ${s.passing} (${pct(s.falseAlarms, s.passing)}) |`,
  );
  return ["| peer | checks with a corresponding rule | failures caught | false alarms on passing fixtures |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** The command (in-process callers pass argv and where to write; the entry point, the process's). */
export async function main(
  argv: string[] = process.argv.slice(2),
  io: { stdout: (text: string) => void; stderr: (text: string) => void } = { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t) },
): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { mirror: { type: "string", default: process.env.PEER_MIRROR ?? "/work/.mirror" }, json: { type: "boolean" }, details: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    io.stdout("Usage: node packages/policy-engine/peers/score.ts [--mirror DIR] [--json] [--details]\n\nScores the rules on the peers' labelled fixtures (git directories <DIR>/<owner>+<name>/repo).\n");
    return 0;
  }
  const mapping = loadMapping();
  const scores: PeerScore[] = [];
  for (const peer of Object.keys(PEERS) as Peer[]) {
    const dir = mirrorDir(values.mirror, peer);
    if (!dir) {
      io.stderr(`warning: ${PEERS[peer]} not found under ${values.mirror}; skipped\n`);
      continue;
    }
    scores.push(scorePeer(peer, dir, mapping));
  }
  if (values.json) io.stdout(JSON.stringify(scores, null, 2) + "\n");
  else {
    io.stdout(scoreTable(scores) + "\n");
    if (values.details) {
      for (const s of scores) {
        for (const c of s.perCheck) {
          if (c.misses.length === 0 && c.alarms.length === 0 && c.differences.length === 0) continue;
          io.stdout(`\n${s.peer} ${c.check} -> ${c.rules.join(", ")}: caught ${c.caught}/${c.failures}, false alarms ${c.falseAlarms}/${c.passing}\n`);
          for (const m of c.misses) io.stdout(`  miss  ${m}\n`);
          for (const a of c.alarms) io.stdout(`  alarm ${a}\n`);
          for (const d of c.differences) io.stdout(`  differs ${d}\n`);
        }
        for (const u of s.unscored) io.stdout(`  ${s.peer} unscored: ${u}\n`);
      }
    }
  }
  return scores.length === 0 ? 2 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main();
