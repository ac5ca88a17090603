// The result model: kubeconform's, so that anything reading kubeconform JSON reads ours.

/** kubeconform's statuses; `statusEmpty` is internal (kubeconform neither prints nor counts empty documents). */
export type Status = "statusValid" | "statusInvalid" | "statusError" | "statusSkipped" | "statusEmpty";

export interface FieldError {
  /** JSON pointer into the resource, e.g. `/spec/replicas` ("" for the root). */
  path: string;
  msg: string;
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
  /** Plain-language notes for the user: fallback mode, engine used, and so on. */
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
  /** Where compiled validators and downloaded schemas are cached. */
  cacheDir: string;
  /** Also apply the API server's semantic rules (semantic/): off by default, so verdicts match kubeconform's. */
  semantic?: boolean;
}

export interface InputDocument {
  filename: string;
  content: string;
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
