// The second thread: says it is ready once loaded, then answers each batch of documents with their results.
import { validateJobs, type ValidatorOptions } from "../validator.ts";
import { setCodeCacheWrites } from "./code-cache.ts";
import type { Job } from "../resource.ts";
const { parentPort } = process.getBuiltinModule("node:worker_threads");

interface Request {
  id: number;
  jobs: Job[];
  options: ValidatorOptions;
}

/**
 * Each message carries a fresh copy of the run's options, and the validator's per-options caches (registry options,
 * lookup keys) are keyed by the object: a worker serves one run (Scheduler.close terminates it), so the first copy
 * is kept for every batch.
 */
let runOptions: ValidatorOptions | undefined;

setCodeCacheWrites(false);
parentPort?.on("message", (request: Request) => {
  validateJobs(request.jobs, (runOptions ??= request.options), undefined, true).then(
    (results) => parentPort?.postMessage({ id: request.id, results }),
    (err: unknown) => parentPort?.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
parentPort?.postMessage({ ready: true });
