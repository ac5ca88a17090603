// Both cores: a large batch is cut in two at its byte midpoint; the main thread validates the first
// half while one worker thread validates the second. Small batches stay on the main thread, where
// a worker's start-up (~0.2 s) would cost more than it saves.
import { Worker } from "node:worker_threads";
import os from "node:os";
import type { Job } from "./resources.ts";
import { validateJobs, warmSchemas, type ThreadOptions } from "./thread.ts";
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
  await warmOnMain(jobs, options);
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
        done[i] = await askWorker(worker, { jobs: batches[i]! }, options);
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

/**
 * Compiles (or loads) the schemas this batch will need on the main thread before any batch goes
 * out, while the worker is still starting (~0.3 s): with subschema sharing one thread compiles the
 * PodSpec tree the workload kinds have in common once (~0.45 s for all the overlays' kinds), where
 * splitting the kinds between the threads had each compile it, and the main thread wait for the
 * late-starting worker. The worker loads what it needs from the disk cache this has written.
 */
async function warmOnMain(jobs: readonly Job[], options: ThreadOptions): Promise<void> {
  const pairs = [...predictKinds(jobs)].map((key) => key.split("\u0000") as [string, string]);
  await warmSchemas(pairs, options);
}

const KIND_LINE = /^kind:[ \t]*["']?([A-Za-z0-9]+)["']?[ \t]*$/m;
const API_VERSION_LINE = /^apiVersion:[ \t]*["']?([A-Za-z0-9./-]+)["']?[ \t]*$/m;

function predictKinds(jobs: readonly Job[]): Set<string> {
  const keys = new Set<string>();
  for (const job of jobs) {
    const kind = KIND_LINE.exec(job.text)?.[1];
    const apiVersion = API_VERSION_LINE.exec(job.text)?.[1];
    if (kind && apiVersion && kind !== "List") keys.add(`${kind}\u0000${apiVersion}`);
  }
  return keys;
}

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
    const worker = new Worker(new URL("./worker-bootstrap.mjs", import.meta.url));
    worker.unref();
    // A worker that failed or stopped is never asked again: the next call starts a fresh one.
    const forget = () => {
      stopped.add(worker);
      if (shared === worker) shared = undefined;
    };
    worker.on("error", forget);
    worker.on("exit", forget);
    shared = worker;
    return worker;
  } catch {
    return undefined;
  }
}

/**
 * Requests in flight per worker. The worker holds the process open exactly while this is above
 * zero: ref()/unref() are not counted, so letting one reply unref it while another request is
 * still out lets the event loop empty while the main thread awaits that batch, and Node quits
 * with code 13 and no output.
 */
const inFlight = new WeakMap<Worker, number>();
/** Workers that failed or exited: a message to one is dropped, so its reply would never come. */
const stopped = new WeakSet<Worker>();

function holdOpen(worker: Worker): () => void {
  const count = inFlight.get(worker) ?? 0;
  inFlight.set(worker, count + 1);
  if (count === 0) worker.ref();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (inFlight.get(worker) ?? 1) - 1;
    inFlight.set(worker, left);
    if (left === 0) worker.unref();
  };
}

function askWorker(worker: Worker, work: { jobs: Job[] }, options: ThreadOptions): Promise<ResourceResult[][]> {
  const id = nextRequest++;
  if (stopped.has(worker)) return Promise.reject(new Error("worker stopped"));
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
    const release = holdOpen(worker); // keep the process alive while the worker has work
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      release();
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ id, ...work, options });
  });
}
