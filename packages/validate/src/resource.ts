// From a document's text to a resource ready for its schema, with kubeconform's verdicts for
// everything that goes wrong before that: parse errors, empty documents, non-objects, missing
// kind/apiVersion, and `kind: List` expanded into its items.
import { parseDocument } from "./decode.ts";
import type { ResourceResult, Status } from "./types.ts";

export interface Job {
  filename: string;
  text: string;
  /** 1-based document index in the file. */
  index: number;
  /** 1-based line where the document starts in the file. */
  line: number;
  /** The bytes were not readable text (invalid UTF-8). */
  decodeError?: string;
}

export interface Signature {
  kind: string;
  version: string;
  namespace: string;
  name: string;
}

export type Prepared =
  | { done: ResourceResult }
  | { job: Job; value: Record<string, unknown>; sig: Signature };

const NO_SIGNATURE: Signature = { kind: "", version: "", namespace: "", name: "" };

export function resultFor(job: Job, sig: Signature, status: Status, msg = ""): ResourceResult {
  return {
    filename: job.filename,
    kind: sig.kind,
    name: sig.name,
    namespace: sig.namespace,
    version: sig.version,
    status,
    msg,
    documentIndex: job.index,
    line: job.line,
  };
}

/** Where in the file a problem is, appended to error messages. */
export function locationOf(_job: Job, _lineInDocument?: number): string {
  return ""; // kubeconform's messages carry no position; results keep documentIndex and line
}

export function prepareDocument(job: Job, strict: boolean, _ignoreMissingSchemas = false): Prepared[] {
  if (job.decodeError) {
    const msg = `error unmarshalling resource: error converting YAML to JSON: yaml: ${job.decodeError}${locationOf(job)}`;
    return [{ done: resultFor(job, NO_SIGNATURE, "statusError", msg) }];
  }
  if (!/\S/.test(job.text)) return [{ done: resultFor(job, NO_SIGNATURE, "statusEmpty") }];
  let parsed = parseDocument(job.text, strict);
  let shown = NO_SIGNATURE;
  if (!parsed.ok && strict && parsed.reason.startsWith("yaml: unmarshal errors")) {
    // kubeconform expands a List before its strict parse, so duplicate keys inside a List pass;
    // and its output names the resource from a lenient reading.
    const lenient = parseDocument(job.text, false);
    if (lenient.ok && isList(lenient.value)) parsed = lenient;
    else if (lenient.ok && lenient.value !== null && typeof lenient.value === "object" && !Array.isArray(lenient.value)) {
      shown = signatureOf(lenient.value as Record<string, unknown>).sig;
    }
  }
  if (!parsed.ok) {
    const msg = `error unmarshalling resource: error converting YAML to JSON: ${parsed.reason}${locationOf(job, parsed.line)}`;
    return [{ done: resultFor(job, shown, "statusError", msg) }];
  }
  const listItems = isList(parsed.value) ? itemsOf(parsed.value as Record<string, unknown>) : undefined;
  if (listItems) {
    if (listItems.length === 0) return [{ done: resultFor(job, NO_SIGNATURE, "statusEmpty") }];
    return listItems.map((item) => prepareValue(job, item, true));
  }
  return [prepareValue(job, parsed.value, false)];
}

function prepareValue(job: Job, value: unknown, listItem: boolean): Prepared {
  if (value === null || value === undefined) return { done: resultFor(job, NO_SIGNATURE, "statusEmpty") };
  if (typeof value !== "object" || Array.isArray(value)) {
    const msg = `error unmarshalling resource: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonType(value)} into Go value of type map[string]interface {}${locationOf(job)}`;
    return { done: resultFor(job, NO_SIGNATURE, "statusError", msg) };
  }
  const object = value as Record<string, unknown>;
  const { sig, error } = listItem ? signatureFromMap(object) : signatureOf(object);
  if (error) return { done: resultFor(job, sig, "statusError", `error while parsing: ${error}${locationOf(job)}`) };
  return { job, value: object, sig };
}

/**
 * kubeconform's SignatureFromMap, used for a List's items (their signature is not read through the
 * struct first): kind and apiVersion must be strings, other metadata types are ignored. On an error
 * the shown kind and name still come from the struct reading, as kubeconform's output does.
 */
function signatureFromMap(object: Record<string, unknown>): { sig: Signature; error?: string } {
  const shown = () => signatureOf(object).sig;
  if (typeof object.kind !== "string") return { sig: shown(), error: "missing 'kind' key" };
  if (typeof object.apiVersion !== "string") return { sig: shown(), error: "missing 'apiVersion' key" };
  const sig: Signature = { kind: object.kind, version: object.apiVersion, namespace: "", name: "" };
  const metadata = object.metadata;
  if (metadata !== null && typeof metadata === "object" && !Array.isArray(metadata)) {
    const meta = metadata as Record<string, unknown>;
    if (typeof meta.name === "string") sig.name = meta.name;
    if (typeof meta.namespace === "string") sig.namespace = meta.namespace;
    if (typeof meta.generateName === "string") sig.name = meta.generateName + "{{ generateName }}";
  }
  return { sig };
}

/** A `kind: List` whose signature is complete is replaced by its items, as kubeconform does. */
function isList(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const { sig, error } = signatureOf(value as Record<string, unknown>);
  return !error && sig.kind.toLowerCase() === "list";
}

function itemsOf(list: Record<string, unknown>): unknown[] {
  const items = field(list, "items");
  return Array.isArray(items) ? items : [];
}

/**
 * kubeconform reads kind, apiVersion and metadata through a Go struct: keys match case-insensitively,
 * numbers and booleans become strings, and a metadata that is not a mapping is a parse error.
 */
export function signatureOf(object: Record<string, unknown>): { sig: Signature; error?: string } {
  const sig: Signature = { ...NO_SIGNATURE };
  let error: string | undefined;
  const asString = (value: unknown, goField: string): string => {
    if (value === null || value === undefined) return "";
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    error ??= `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonType(value)} into Go struct field .${goField} of type string`;
    return "";
  };
  sig.kind = asString(field(object, "kind"), "Kind");
  sig.version = asString(field(object, "apiVersion"), "APIVersion");
  const metadata = field(object, "metadata");
  if (metadata !== null && metadata !== undefined) {
    if (typeof metadata !== "object" || Array.isArray(metadata)) {
      error ??= `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonType(metadata)} into Go struct field .Metadata of type ${METADATA_STRUCT}`;
    } else {
      const meta = metadata as Record<string, unknown>;
      sig.name = asString(field(meta, "name"), "Metadata.Name");
      sig.namespace = asString(field(meta, "namespace"), "Metadata.Namespace");
      const generateName = asString(field(meta, "generateName"), "Metadata.GenerateName");
      if (generateName !== "") sig.name = generateName + "{{ generateName }}";
    }
  }
  if (error) return { sig, error };
  if (sig.kind === "") return { sig, error: "missing 'kind' key" };
  if (sig.version === "") return { sig, error: "missing 'apiVersion' key" };
  return { sig };
}

/** Go's %v of kubeconform's anonymous metadata struct type. */
const METADATA_STRUCT = 'struct { Name string "yaml:\\"name\\""; Namespace string "yaml:\\"namespace\\""; GenerateName string "yaml:\\"generateName\\"" }';

function field(object: Record<string, unknown>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(object, name)) return object[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) if (key.toLowerCase() === lower) return object[key];
  return undefined;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "bool";
  if (value !== null && typeof value === "object") return "object";
  return typeof value;
}
