// The second thread: receives a batch of documents, answers with their results.
import { parentPort } from "node:worker_threads";
import { validateJobs, type ThreadOptions } from "./thread.ts";
import type { Job } from "./resources.ts";

interface Request {
  id: number;
  jobs?: Job[];
  options: ThreadOptions;
}

parentPort?.on("message", (request: Request) => {
  const work = validateJobs(request.jobs ?? [], request.options);
  work.then(
    (results) => parentPort?.postMessage({ id: request.id, results }),
    (err: unknown) => parentPort?.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
