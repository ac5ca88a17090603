import type { Environment, Hit } from "./types.ts";

export function flows(_env: Environment): Hit[] {
  return [];
}
