// The result model: kubeconform's, so that anything reading kubeconform JSON reads ours.

/** kubeconform's statuses; `statusEmpty` is internal (kubeconform neither prints nor counts empty documents). */
export type Status = "statusValid" | "statusInvalid" | "statusError" | "statusSkipped" | "statusEmpty";

export interface FieldError {
  /** JSON pointer into the resource, e.g. `/spec/replicas` ("" for the root). */
  path: string;
  msg: string;
  /** For a failed oneOf/anyOf: each failed branch's errors (shown in `msg`, not in validationErrors). */
  causes?: FieldError[];
}

export interface ResourceResult {
  filename: string;
  kind: string;
  name: string;
  namespace: string;
  /** The resource's apiVersion (kubeconform calls it `version`). */
  version: string;
  status: Status;
  msg: string;
  validationErrors?: FieldError[];
  /** 1-based index of the YAML document in its file (List items share their List's index). */
  documentIndex: number;
  /** 1-based line where the document starts in its file, when known. */
  line?: number;
}

export interface Summary {
  valid: number;
  invalid: number;
  errors: number;
  skipped: number;
}

export interface ValidationReport {
  resources: ResourceResult[];
  summary: Summary;
  /** Distinct file names seen (kubeconform's "found in N files"). */
  files: number;
  /** True when the only input was standard input (kubeconform's "found parsing stdin"). */
  stdin: boolean;
  /** Plain-language notes for the user (stderr): fallback mode, engine used, and so on. */
  notices: string[];
  engine: "schemas" | "fallback" | "kubeconform";
}

export interface ValidateOptions {
  /** kubeconform -schema-location values, in search order. Empty means our offline defaults. */
  schemaLocations: string[];
  kubernetesVersion: string;
  strict: boolean;
  skipKinds: string[];
  rejectKinds: string[];
  ignoreMissingSchemas: boolean;
  /** Threads to use; 1 keeps everything on the calling thread. */
  workers: number;
  /** Where compiled validators are cached. */
  cacheDir: string;
  /** kubeconform's -cache: downloaded schemas are kept as <schemaCache>/<sha256 of URL>. */
  schemaCache?: string;
  /** kubeconform's -insecure-skip-tls-verify. */
  insecureSkipTlsVerify?: boolean;
  /** kubeconform's -exit-on-error: stop at the first invalid or error result. */
  exitOnError?: boolean;
  /** Validators used instead of schemas (the caller's, e.g. kubernetes-models); keeps work on one thread. */
  fallback?: FallbackValidators;
  /**
   * The caller's own checks after the schema's, per document on the calling thread: may change the
   * document's results (e.g. an API-server rule making a valid object invalid).
   */
  annotate?: (results: ResourceResult[], documentText: string) => void;
}

/** Validators to use instead of JSON schemas, looked up by kind and apiVersion. */
export interface FallbackValidators {
  /** Shown in messages where a schema's URL would be. */
  name: string;
  lookup(kind: string, apiVersion: string): ((object: Record<string, unknown>) => FieldError[]) | undefined;
}

export interface InputDocument {
  filename: string;
  content: string;
  /** The caller could not produce this input (a failed render): reported as the file's error. */
  error?: string;
}

export function summarize(results: readonly ResourceResult[]): Summary {
  const summary: Summary = { valid: 0, invalid: 0, errors: 0, skipped: 0 };
  for (const r of results) {
    if (r.status === "statusValid") summary.valid++;
    else if (r.status === "statusInvalid") summary.invalid++;
    else if (r.status === "statusError") summary.errors++;
    else if (r.status === "statusSkipped") summary.skipped++;
  }
  return summary;
}

export function hasFailures(report: ValidationReport): boolean {
  return report.summary.invalid > 0 || report.summary.errors > 0;
}
