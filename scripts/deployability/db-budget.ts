import type { Environment, Hit } from "./types.ts";

export function connectionBudget(_env: Environment): Hit[] {
  return [];
}
