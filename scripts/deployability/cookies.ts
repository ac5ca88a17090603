import type { Environment, Hit } from "./types.ts";

export function cookies(_env: Environment): Hit[] {
  return [];
}
