// `validate -fallback`: validators from kubernetes-models instead of JSON schemas, for machines with
// no schema folder at all. They check types, enums and required fields but have no
// additionalProperties: unknown fields pass (the notice says so). Only on request: a schema location
// that does not exist is kubeconform's "could not find schema" error, never a silent fallback.
import type { ErrorObject } from "ajv";
import type { FallbackValidators, FieldError } from "@mcp-stack/validate";
import { fieldErrors } from "@mcp-stack/validate/messages";
const { createRequire } = process.getBuiltinModule("node:module");
const { fileURLToPath } = process.getBuiltinModule("node:url");

const require = createRequire(import.meta.url);

export const FALLBACK_NOTICE =
  "validating with the kubernetes-models validators (-fallback): unknown fields are NOT checked (types, enums and required fields are).";

/** Packages that ship models, searched in order; the first that has group/version/Kind wins. */
const MODEL_PACKAGES = [
  "kubernetes-models",
  "@kubernetes-models/argo-cd",
  "@kubernetes-models/prometheus-operator",
  "@kubernetes-models/external-secrets",
];

type ModelClass = new (data: unknown) => { validate(): void };
type Validator = (object: Record<string, unknown>) => FieldError[];

const models = new Map<string, Validator | undefined>();

export const kubernetesModels: FallbackValidators = {
  name: "kubernetes-models",
  lookup(kind, apiVersion) {
    const key = `${apiVersion}/${kind}`;
    if (!models.has(key)) models.set(key, loadModel(kind, apiVersion));
    return models.get(key);
  },
};

function loadModel(kind: string, apiVersion: string): Validator | undefined {
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
    if (typeof Model === "function") return (object) => runModel(Model, kind === "Secret" && apiVersion === "v1" ? asApiServerReadsSecret(object) : object, kind);
  }
  return undefined;
}

/**
 * The API server decodes Secret `data` with Go's base64, which skips line breaks: kustomize's
 * block-scalar base64 (`key: |` with wrapped lines) is valid. The model's `byte` format is not told.
 */
function asApiServerReadsSecret(object: Record<string, unknown>): Record<string, unknown> {
  const data = object.data;
  if (data === null || typeof data !== "object" || Array.isArray(data)) return object;
  const unwrapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) unwrapped[key] = typeof value === "string" ? value.replace(/[\r\n]/g, "") : value;
  return { ...object, data: unwrapped };
}

function runModel(Model: ModelClass, object: Record<string, unknown>, kind: string): FieldError[] {
  try {
    new Model(object).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: ErrorObject[] }).errors;
    // A Secret's values never reach a message: errors are worded against a copy with them hidden.
    const shown = kind === "Secret" ? redactSecret(object) : object;
    if (Array.isArray(errors) && errors.length > 0) return fallbackMessages(errors, shown);
    return [{ path: "", msg: kind === "Secret" ? "invalid Secret" : err instanceof Error ? err.message : String(err) }];
  }
}

function redactSecret(object: Record<string, unknown>): Record<string, unknown> {
  const hide = (section: unknown) =>
    section !== null && typeof section === "object" && !Array.isArray(section)
      ? Object.fromEntries(Object.keys(section).map((k) => [k, "(hidden)"]))
      : section;
  return { ...object, data: hide(object.data), stringData: hide(object.stringData) };
}

function fallbackMessages(errors: readonly ErrorObject[], data: unknown): FieldError[] {
  return fieldErrors(errors, data);
}
