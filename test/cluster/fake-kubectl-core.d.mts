// Types of fake-kubectl-core.mjs (plain JavaScript, so that the executable stand-in runs without tsx).
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
export function runAsKubectl(argv?: string[], env?: NodeJS.ProcessEnv): void;
