// A vitest reporter that lists the most expensive test files: import (collect), setup and test time per file.
// `npx vitest run --reporter=default --reporter=./test/helpers/timing-reporter.ts` (TIMING_TOP=n rows, default 20).
import type { Reporter, TestModule } from "vitest/node";

export default class TimingReporter implements Reporter {
  private rows: { file: string; collect: number; setup: number; tests: number; env: number; prepare: number }[] = [];

  onTestModuleEnd(m: TestModule): void {
    const d = m.diagnostic();
    this.rows.push({ file: m.moduleId.replace(`${process.cwd()}/`, ""), collect: d.collectDuration, setup: d.setupDuration, tests: d.duration, env: d.environmentSetupDuration, prepare: d.prepareDuration });
  }

  onTestRunEnd(): void {
    const s = (ms: number) => (ms / 1000).toFixed(1).padStart(6);
    const total = (r: (typeof this.rows)[number]) => r.collect + r.setup + r.tests + r.prepare;
    const sum = this.rows.reduce((a, r) => ({ collect: a.collect + r.collect, tests: a.tests + r.tests, prepare: a.prepare + r.prepare }), { collect: 0, tests: 0, prepare: 0 });
    const lines = [`files: ${this.rows.length}; summed import ${s(sum.collect)} s, tests+hooks ${s(sum.tests)} s, prepare ${s(sum.prepare)} s`, "  total import  tests prepare  file"];
    for (const r of [...this.rows].sort((a, b) => total(b) - total(a)).slice(0, Number(process.env.TIMING_TOP ?? 20))) {
      lines.push(`${s(total(r))} ${s(r.collect)} ${s(r.tests)} ${s(r.prepare)}  ${r.file}`);
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  }
}
