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
  const cut = byteMidpoint(jobs, totalBytes);
  const worker = startWorker();
  if (!worker) return validateJobs(jobs, options);
  const [first, second] = await Promise.all([
    validateJobs(jobs.slice(0, cut), options),
    askWorker(worker, jobs.slice(cut), options).catch(() => validateJobs(jobs.slice(cut), options)),
  ]);
  return [...first, ...second];
}

function byteMidpoint(jobs: readonly Job[], totalBytes: number): number {
  let bytes = 0;
  for (let i = 0; i < jobs.length; i++) {
    bytes += jobs[i]!.text.length;
    if (bytes >= totalBytes / 2) return i + 1;
  }
  return jobs.length;
}

// One worker per process, reused across calls (npm run check validates several overlays).
let shared: Worker | undefined;
let nextRequest = 0;

function startWorker(): Worker | undefined {
  if (shared) return shared;
  try {
    // The worker is TypeScript: make sure it gets tsx's loader even when the parent got it another way.
    const hasTsx = process.execArgv.some((arg) => arg.includes("tsx"));
    shared = new Worker(new URL("./worker-entry.ts", import.meta.url), {
      execArgv: hasTsx ? process.execArgv : [...process.execArgv, "--import", "tsx"],
    });
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
