// Types of fake-kubectl-core.mjs (plain JavaScript).
export interface Rule {
  match: string;
  stdout?: string;
  json?: unknown;
  stderr?: string;
  code?: number;
}

export type Answer = { code: number; stdout: string; stderr: string; kustomize?: undefined } | { kustomize: string[] };

export function withoutGlobalFlags(argv: string[]): string[];
export function answer(argv: string[], rules: Rule[]): Answer;
export function answerAsKubectl(argv: string[], log: string, scenarioFile: string): Answer;
