// Both cores: a large batch is cut in two at its byte midpoint; the main thread validates the first
// half while one worker thread validates the second. Small batches stay on the main thread, where
// a worker's start-up (~0.2 s) would cost more than it saves.
import { Worker } from "node:worker_threads";
import os from "node:os";
import type { Job } from "./resources.ts";
import { validateJobs, type ThreadOptions } from "./thread.ts";
import type { ResourceResult } from "./types.ts";

/** Below this much YAML one thread is faster than two. */
export const PARALLEL_THRESHOLD_BYTES = 1_500_000;

export function availableThreads(): number {
  return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

export async function validateInParallel(jobs: readonly Job[], options: ThreadOptions, threads: number): Promise<ResourceResult[][]> {
  const totalBytes = jobs.reduce((sum, job) => sum + job.text.length, 0);
  if (threads < 2 || totalBytes < PARALLEL_THRESHOLD_BYTES) return validateJobs(jobs, options);
  const worker = startWorker();
  if (!worker) return validateJobs(jobs, options);
  // Batches are handed out as each thread becomes free, so the worker's start-up does not leave
  // the main thread idle at the end.
  const batches = cutBatches(jobs, BATCH_BYTES);
  const done: ResourceResult[][][] = new Array(batches.length);
  let next = 0;
  const take = () => (next < batches.length ? next++ : -1);
  const onMain = async () => {
    for (let i = take(); i >= 0; i = take()) {
      done[i] = await validateJobs(batches[i]!, options);
      await new Promise(setImmediate); // let the worker's replies in
    }
  };
  const onWorker = async () => {
    for (let i = take(); i >= 0; i = take()) {
      try {
        done[i] = await askWorker(worker, batches[i]!, options);
      } catch {
        done[i] = await validateJobs(batches[i]!, options); // a broken worker leaves the rest to the main thread
        return;
      }
    }
  };
  await Promise.all([onMain(), onWorker()]);
  return done.flat();
}

const BATCH_BYTES = 256 * 1024;

function cutBatches(jobs: readonly Job[], batchBytes: number): Job[][] {
  const batches: Job[][] = [];
  let current: Job[] = [];
  let bytes = 0;
  for (const job of jobs) {
    current.push(job);
    bytes += job.text.length;
    if (bytes >= batchBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

// One worker per process, reused across calls (npm run check validates several overlays).
let shared: Worker | undefined;
let nextRequest = 0;

function startWorker(): Worker | undefined {
  if (shared) return shared;
  try {
    shared = new Worker(new URL("./worker-bootstrap.mjs", import.meta.url));
    shared.unref();
    shared.on("error", () => {
      shared = undefined;
    });
    return shared;
  } catch {
    return undefined;
  }
}

function askWorker(worker: Worker, jobs: Job[], options: ThreadOptions): Promise<ResourceResult[][]> {
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    const onMessage = (reply: { id: number; results?: ResourceResult[][]; error?: string }) => {
      if (reply.id !== id) return;
      cleanup();
      if (reply.results) resolve(reply.results);
      else reject(new Error(reply.error ?? "worker failed"));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onExit = () => {
      cleanup();
      reject(new Error("worker exited"));
    };
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      worker.unref();
    };
    worker.ref(); // keep the process alive while the worker has work
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ id, jobs, options });
  });
}
