// Runs a command's main(argv, io) in this process (no Node start-up per call): the same exit-code mapping as
// the entry point (scripts/lib/cli.ts runCommand), with stdout and stderr captured.
import { type Io, runCommand } from "../../scripts/lib/cli.ts";

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runInProcess(main: (argv: string[], io: Io) => Promise<number | void> | number | void, argv: string[]): Promise<InProcessRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCommand(main, argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}
