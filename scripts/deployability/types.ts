// What every analysis receives (one environment: its rendered objects, its settings, the application facts)
// and what it returns (hits: a rule, an object, a JSON pointer and a message).
import type { Settings } from "../settings/schema.ts";
import type { AppData } from "./data.ts";
import type { Index, Obj } from "./model.ts";

export interface Environment {
  name: string;
  profile: string;
  index: Index;
  settings: Settings;
  /** True when an Argo CD Application delivers the environment. */
  argocd: boolean;
  /** syncOptions of the environment's Application (apply to every object). */
  applicationSyncOptions: readonly string[];
  app: AppData;
}

export interface Hit {
  rule: string;
  obj: Obj;
  path: string;
  message: string;
}

export type Analysis = (env: Environment) => Hit[];
