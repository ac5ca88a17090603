// Both cores: batches of documents go to one worker thread while it is free and are validated on
// the main thread otherwise, so neither waits for the other. The worker is started only once the
// input passes PARALLEL_THRESHOLD_BYTES (its start-up, ~0.2 s, would cost small inputs more than it
// saves) and gets work only after it says it is ready; until then the main thread carries on, and
// the schemas it compiles on the way are on disk for the worker to load.
import type { Worker } from "node:worker_threads";
import os from "node:os";
import type { Job } from "../resource.ts";
import { validateJobs, type ValidatorOptions } from "../validator.ts";
import type { FallbackValidators, ResourceResult } from "../types.ts";

/** Below this much YAML one thread is faster than two. */
export const PARALLEL_THRESHOLD_BYTES = 1_500_000;
/** Documents are handed out in batches of about this many bytes. */
export const BATCH_BYTES = 256 * 1024;

export function availableThreads(): number {
  return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

export class Scheduler {
  private worker: Worker | undefined;
  private ready = false;
  private busy = false;
  private broken = false;
  private nextId = 0;
  private readonly options: ValidatorOptions;
  private readonly threads: number;
  private readonly fallback: FallbackValidators | undefined;

  constructor(options: ValidatorOptions, threads: number, fallback?: FallbackValidators) {
    this.options = options;
    this.threads = threads;
    this.fallback = fallback;
  }

  /** Called as input is read: starts the worker once there is enough of it. */
  sawBytes(total: number): void {
    if (this.worker || this.broken || this.fallback || this.threads < 2 || total < PARALLEL_THRESHOLD_BYTES) return;
    try {
      // A small young generation: the worker allocates in bursts of one batch, and a large nursery only
      // raises the process's peak memory. Running out of heap ends the worker; its batch is redone here.
      // node:worker_threads is loaded only here: small inputs never start a worker and skip its ~10 ms
      const { Worker: WorkerThread } = process.getBuiltinModule("node:worker_threads");
      const worker = new WorkerThread(new URL("./worker-entry.ts", import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
      worker.unref();
      worker.on("message", (m: { ready?: boolean }) => {
        if (m.ready) this.ready = true;
      });
      const forget = () => {
        this.broken = true;
        this.ready = false;
      };
      worker.on("error", forget);
      worker.on("exit", forget);
      this.worker = worker;
    } catch {
      this.broken = true;
    }
  }

  /** Whether a worker has been started (then the caller yields to the event loop between batches). */
  get parallel(): boolean {
    return this.worker !== undefined && !this.broken;
  }

  /** Validates a batch on the worker if it is free, else here. */
  run(jobs: Job[]): Promise<ResourceResult[][]> {
    if (this.worker && this.ready && !this.busy && !this.broken) return this.onWorker(this.worker, jobs);
    return validateJobs(jobs, this.options, this.fallback);
  }

  /** Lets the process exit: the worker is not needed any more. */
  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private onWorker(worker: Worker, jobs: Job[]): Promise<ResourceResult[][]> {
    const id = this.nextId++;
    this.busy = true;
    worker.ref(); // keep the process alive while the worker has work
    return new Promise<ResourceResult[][]>((resolve, reject) => {
      const onMessage = (reply: { id?: number; results?: ResourceResult[][]; error?: string }) => {
        if (reply.id !== id) return;
        done();
        if (reply.results) resolve(reply.results);
        else reject(new Error(reply.error ?? "worker failed"));
      };
      const onGone = () => {
        done();
        reject(new Error("worker stopped"));
      };
      const done = () => {
        worker.off("message", onMessage);
        worker.off("error", onGone);
        worker.off("exit", onGone);
        worker.unref();
        this.busy = false;
      };
      worker.on("message", onMessage);
      worker.on("error", onGone);
      worker.on("exit", onGone);
      worker.postMessage({ id, jobs, options: this.options });
    }).catch(() => validateJobs(jobs, this.options)); // a broken worker leaves its batch to the main thread
  }
}
