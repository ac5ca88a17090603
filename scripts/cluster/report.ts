// What preflight, verify and teardown print: a progress line per check as it finishes, a summary table,
// one remediation line per failure (and per warning), or the same as JSON. Exit 0 when nothing failed.
import { EXIT } from "../lib/cli.ts";

export type Status = "pass" | "warn" | "fail" | "skip";

/** One verdict. A check can produce several (one per workload, per claim...). */
export interface Result {
  id: string;
  title: string;
  status: Status;
  /** What was found, one line: "v1.31.2 >= 1.29", "postgres-data Pending". */
  detail: string;
  /** What to do about it (fail and warn only): a command to run or a setting to change. */
  remediation?: string;
}

/** A check: data plus one small function. `run` returns verdicts; `remediation` is the default advice. */
export interface Check<C> {
  id: string;
  title: string;
  remediation: string | ((ctx: C) => string);
  /** Skipped (not run, not listed) when false. */
  applies?: (ctx: C) => boolean;
  run: (ctx: C) => Promise<Outcome | Outcome[]>;
}

export type Outcome = { status: Status; detail: string; remediation?: string; id?: string; title?: string };

export const pass = (detail: string, extra: Partial<Outcome> = {}): Outcome => ({ status: "pass", detail, ...extra });
export const warn = (detail: string, extra: Partial<Outcome> = {}): Outcome => ({ status: "warn", detail, ...extra });
export const fail = (detail: string, extra: Partial<Outcome> = {}): Outcome => ({ status: "fail", detail, ...extra });
export const skip = (detail: string, extra: Partial<Outcome> = {}): Outcome => ({ status: "skip", detail, ...extra });

export interface Report {
  command: "preflight" | "verify" | "teardown";
  env?: string;
  context?: string;
  namespace?: string;
  results: Result[];
  /** Set when the command could not run at all (kubectl missing, cluster unreachable). */
  error?: string;
}

const MARK: Record<Status, string> = { pass: "ok", warn: "WARN", fail: "FAIL", skip: "skip" };

export function progressLine(r: Result): string {
  return `  ${MARK[r.status].padEnd(4)}  ${r.title}${r.detail ? ` - ${r.detail}` : ""}`;
}

/** Runs checks one after another, announcing each verdict through `onResult`. A thrown error is a fail. */
export async function runChecks<C>(checks: Check<C>[], ctx: C, onResult: (r: Result) => void = () => {}): Promise<Result[]> {
  const results: Result[] = [];
  for (const check of checks) {
    if (check.applies && !check.applies(ctx)) continue;
    let outcomes: Outcome[];
    try {
      const out = await check.run(ctx);
      outcomes = Array.isArray(out) ? out : [out];
    } catch (err) {
      if (err instanceof Error && err.name === "ClusterUnavailable") throw err;
      outcomes = [fail(err instanceof Error ? err.message.split("\n")[0]! : String(err))];
    }
    for (const o of outcomes) {
      const defaultRemediation = typeof check.remediation === "function" ? check.remediation(ctx) : check.remediation;
      const result: Result = {
        id: o.id ?? check.id,
        title: o.title ?? check.title,
        status: o.status,
        detail: o.detail,
        ...(o.status === "fail" || o.status === "warn" ? { remediation: o.remediation ?? defaultRemediation } : {}),
      };
      results.push(result);
      onResult(result);
    }
  }
  return results;
}

export function counts(results: Result[]): Record<Status, number> {
  const c: Record<Status, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const r of results) c[r.status]++;
  return c;
}

export function exitCode(report: Report): number {
  return report.error || report.results.some((r) => r.status === "fail") ? EXIT.findings : EXIT.clean;
}

/** The summary: a table of every verdict, then a remediation line for each failure and warning. */
export function formatText(report: Report): string {
  const head = [report.command, report.env, report.context && `context ${report.context}`, report.namespace && `namespace ${report.namespace}`]
    .filter(Boolean)
    .join(" · ");
  if (report.error) return `${head}\nerror: ${report.error}\n`;
  const rows = report.results.map((r) => [MARK[r.status], r.id, r.detail]);
  const w0 = Math.max(6, ...rows.map((r) => r[0]!.length));
  const w1 = Math.max(5, ...rows.map((r) => r[1]!.length));
  const lines = [
    "",
    `Summary: ${head}`,
    `${"STATUS".padEnd(w0)}  ${"CHECK".padEnd(w1)}  DETAIL`,
    ...rows.map(([s, id, d]) => `${s!.padEnd(w0)}  ${id!.padEnd(w1)}  ${d}`),
  ];
  const c = counts(report.results);
  lines.push("", `${c.pass} passed, ${c.fail} failed, ${c.warn} warnings, ${c.skip} skipped`);
  const todo = report.results.filter((r) => r.remediation && (r.status === "fail" || r.status === "warn"));
  if (todo.length) {
    lines.push("", "What to do:");
    for (const r of todo) lines.push(`  ${r.status === "fail" ? "FAIL" : "WARN"} ${r.id}: ${r.remediation}`);
  }
  return lines.join("\n") + "\n";
}

export function formatJson(report: Report): string {
  return (
    JSON.stringify(
      {
        command: report.command,
        env: report.env ?? null,
        context: report.context ?? null,
        namespace: report.namespace ?? null,
        ok: exitCode(report) === EXIT.clean,
        ...(report.error ? { error: report.error } : {}),
        counts: counts(report.results),
        results: report.results,
      },
      null,
      2,
    ) + "\n"
  );
}
