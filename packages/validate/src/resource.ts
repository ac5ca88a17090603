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
  const value = parsed.value;
  // (read once: whether it is a List, and the resource's signature when it is not)
  const read = value !== null && typeof value === "object" && !Array.isArray(value) ? signatureOf(value as Record<string, unknown>) : undefined;
  if (read && !read.error && read.sig.kind.toLowerCase() === "list") {
    const listItems = itemsOf(value as Record<string, unknown>);
    if (listItems.length === 0) return [{ done: resultFor(job, NO_SIGNATURE, "statusEmpty") }];
    return listItems.map((item) => prepareValue(job, item, true));
  }
  return [prepareValue(job, value, false, read)];
}

function prepareValue(job: Job, value: unknown, listItem: boolean, read?: { sig: Signature; error?: string }): Prepared {
  if (value === null || value === undefined) return { done: resultFor(job, NO_SIGNATURE, "statusEmpty") };
  if (typeof value !== "object" || Array.isArray(value)) {
    const msg = `error unmarshalling resource: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonType(value)} into Go value of type map[string]interface {}${locationOf(job)}`;
    return { done: resultFor(job, NO_SIGNATURE, "statusError", msg) };
  }
  const object = value as Record<string, unknown>;
  const { sig, error } = listItem ? signatureFromMap(object) : (read ?? signatureOf(object));
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

/** kubeconform's `Items []interface{}`: the last array among the keys matching `items` ignoring case. */
function itemsOf(list: Record<string, unknown>): unknown[] {
  let items: unknown[] = [];
  for (const [, value] of goSortedEntries(list, ITEMS_FIELD)) {
    if (Array.isArray(value)) items = value;
    else if (value === null) items = []; // json null sets a slice to nil
  }
  return items;
}

/**
 * kubeconform reads kind, apiVersion and metadata through a Go struct, from the JSON sigs.k8s.io/yaml
 * makes of the document (keys sorted), with encoding/json's rules: every key equal to a field's name
 * ignoring case is decoded into that field in turn (the last one wins; metadata mappings merge), null
 * leaves the field as it was, numbers and booleans become strings, and the first value of the wrong
 * type is the error while decoding carries on.
 */
export function signatureOf(object: Record<string, unknown>): { sig: Signature; error?: string } {
  const sig: Signature = { ...NO_SIGNATURE };
  let error: string | undefined;
  const typeError = (value: unknown, goField: string, goType: string) =>
    (error ??= `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonType(value)} into Go struct field .${goField} of type ${goType}`);
  const decodeString = (value: unknown, goField: string, into: (s: string) => void) => {
    if (value === null || value === undefined) return;
    if (typeof value === "string") into(value);
    else if (typeof value === "number" || typeof value === "boolean") into(String(value));
    else typeError(value, goField, "string");
  };
  let generateName = "";
  for (const [key, value] of goSortedEntries(object, TOP_FIELDS)) {
    const name = key.toLowerCase();
    if (name === "kind") decodeString(value, "Kind", (s) => (sig.kind = s));
    else if (name === "apiversion") decodeString(value, "APIVersion", (s) => (sig.version = s));
    else if (name === "metadata" && value !== null) {
      if (typeof value !== "object" || Array.isArray(value)) {
        typeError(value, "Metadata", METADATA_STRUCT);
        continue;
      }
      for (const [metaKey, metaValue] of goSortedEntries(value as Record<string, unknown>, METADATA_FIELDS)) {
        const m = metaKey.toLowerCase();
        if (m === "name") decodeString(metaValue, "Metadata.Name", (s) => (sig.name = s));
        else if (m === "namespace") decodeString(metaValue, "Metadata.Namespace", (s) => (sig.namespace = s));
        else if (m === "generatename") decodeString(metaValue, "Metadata.GenerateName", (s) => (generateName = s));
      }
    }
  }
  if (generateName !== "") sig.name = generateName + "{{ generateName }}";
  if (error) return { sig, error };
  if (sig.kind === "") return { sig, error: "missing 'kind' key" };
  if (sig.version === "") return { sig, error: "missing 'apiVersion' key" };
  return { sig };
}

/** Lower-case field names, matched ignoring case (the length is looked at first: most keys are none of them). */
class Fields {
  private readonly names: ReadonlySet<string>;
  private readonly lengths: ReadonlySet<number>;
  constructor(names: readonly string[]) {
    this.names = new Set(names);
    this.lengths = new Set(names.map((n) => n.length));
  }
  has(key: string): boolean {
    return this.lengths.has(key.length) && this.names.has(key.toLowerCase());
  }
}

const TOP_FIELDS = new Fields(["kind", "apiversion", "metadata"]);
const METADATA_FIELDS = new Fields(["name", "namespace", "generatename"]);
const ITEMS_FIELD = new Fields(["items"]);

/**
 * The entries whose key names one of `fields` ignoring case, in the order Go's json.Marshal writes a
 * map (keys sorted by their UTF-8 bytes).
 */
function goSortedEntries(object: Record<string, unknown>, fields: Fields): [string, unknown][] {
  const entries: [string, unknown][] = [];
  for (const key in object) if (fields.has(key.toLowerCase())) entries.push([key, object[key]]);
  if (entries.length < 2) return entries;
  return entries.sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** Go's %v of kubeconform's anonymous metadata struct type. */
const METADATA_STRUCT = 'struct { Name string "yaml:\\"name\\""; Namespace string "yaml:\\"namespace\\""; GenerateName string "yaml:\\"generateName\\"" }';


function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "bool";
  if (value !== null && typeof value === "object") return "object";
  return typeof value;
}
