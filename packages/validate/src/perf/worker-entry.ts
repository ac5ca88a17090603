// The second thread: says it is ready once loaded, then answers each batch of documents with their results.
import { parentPort } from "node:worker_threads";
import { validateJobs, type ValidatorOptions } from "../validator.ts";
import type { Job } from "../resource.ts";

interface Request {
  id: number;
  jobs: Job[];
  options: ValidatorOptions;
}

parentPort?.on("message", (request: Request) => {
  validateJobs(request.jobs, request.options).then(
    (results) => parentPort?.postMessage({ id: request.id, results }),
    (err: unknown) => parentPort?.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
parentPort?.postMessage({ ready: true });
import v8dbg from "node:v8";
let nDbg = 0;
parentPort?.on("message", () => {
  if (process.env.WDEBUG && ++nDbg % 100 === 0) console.error("worker", nDbg, v8dbg.getHeapSpaceStatistics().filter((s) => s.space_size > 1e6).map((s) => `${s.space_name}=${(s.space_size / 1048576).toFixed(1)}/${(s.space_used_size / 1048576).toFixed(1)}`).join(" "), "ext", (process.memoryUsage().external/1048576).toFixed(1), "rss", (process.memoryUsage().rss/1048576).toFixed(0));
});
