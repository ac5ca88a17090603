// Root kustomization: Argo CD objects (filled in by the Argo CD delivery work).
import type { Settings } from "../settings/schema.ts";
import type { FilePlan } from "./plan.ts";

export function planArgoCd(_envs: Map<string, Settings>, _plan: FilePlan): void {}
