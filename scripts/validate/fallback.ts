// With no schema location reachable, validate with the kubernetes-models validators. They check
// types, enums and required fields but have no additionalProperties: unknown fields pass.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { ErrorObject } from "ajv";
import { fieldErrors } from "./messages.ts";
import type { FieldError } from "./types.ts";

const require = createRequire(import.meta.url);

export const FALLBACK_NOTICE =
  "no schema location is reachable: validating with the kubernetes-models validators instead. " +
  "In this mode unknown fields are NOT checked (types, enums and required fields are).";

/** Packages that ship models, searched in order; the first that has group/version/Kind wins. */
const MODEL_PACKAGES = [
  "kubernetes-models",
  "@kubernetes-models/argo-cd",
  "@kubernetes-models/prometheus-operator",
  "@kubernetes-models/external-secrets",
];

type ModelClass = new (data: unknown) => { validate(): void };
export type FallbackValidator = (object: Record<string, unknown>) => FieldError[];

const models = new Map<string, FallbackValidator | undefined>();

export function fallbackValidator(kind: string, apiVersion: string): FallbackValidator | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!models.has(key)) models.set(key, loadModel(kind, apiVersion));
  return models.get(key);
}

function loadModel(kind: string, apiVersion: string): FallbackValidator | undefined {
  if (!/^[A-Za-z0-9]+$/.test(kind) || !/^[a-z0-9.-]*\/?[a-z0-9]+$/.test(apiVersion)) return undefined;
  for (const pkg of MODEL_PACKAGES) {
    let exported: Record<string, unknown>;
    try {
      // The packages export ESM under the "import" condition only: resolve as an import, then load the
      // file synchronously (require of ESM, Node 22.12+).
      exported = require(fileURLToPath(import.meta.resolve(`${pkg}/${apiVersion}/${kind}`))) as Record<string, unknown>;
    } catch {
      continue;
    }
    const Model = exported[kind] as ModelClass | undefined;
    if (typeof Model === "function") return (object) => runModel(Model, object);
  }
  return undefined;
}

function runModel(Model: ModelClass, object: Record<string, unknown>): FieldError[] {
  try {
    new Model(object).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: ErrorObject[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) return fieldErrors(errors, object);
    return [{ path: "", msg: err instanceof Error ? err.message : String(err) }];
  }
}
