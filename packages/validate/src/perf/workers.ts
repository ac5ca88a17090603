// Both cores: batches of documents go to one worker thread while it has room and are validated on
// the main thread otherwise, so neither waits for the other. The worker is started only for inputs
// of PARALLEL_THRESHOLD_BYTES or more (files: below PARALLEL_LIMIT_BYTES), decided from the files' sizes before reading (then it starts
// while the main thread reads) or, for standard input, once that much has been read. Below that one
// thread is about as fast and needs far less memory: the second thread costs 40-90 MB (its own
// isolate, modules, validators and heap). The worker gets work only after it says it is ready;
// until then the main thread carries on, and the schemas it compiles on the way are on disk for the
// worker to load.
import type { Worker } from "node:worker_threads";
import type { Job } from "../resource.ts";
import { validateJobs, type ValidatorOptions } from "../validator.ts";
import type { FallbackValidators, ResourceResult } from "../types.ts";
const os = process.getBuiltinModule("node:os");

/** Below this much YAML one thread is used: about as fast, and half the memory. */
export const PARALLEL_THRESHOLD_BYTES = 24 * 1024 * 1024;
/**
 * From this much YAML (known before reading: files) one thread again. The second thread's 40-90 MB do not shrink
 * with the input, while kubeconform's peak stays near 57 MB at any size: past this, two threads would keep the peak
 * above twice kubeconform's (about 150 MB against 57 on a 200 MB file); one thread stays near 105 MB and is still
 * about twice as fast as kubeconform with two. Standard input, whose size is not known ahead, keeps its worker.
 */
export const PARALLEL_LIMIT_BYTES = 128 * 1024 * 1024;
let parallelThreshold = PARALLEL_THRESHOLD_BYTES;
let parallelLimit = PARALLEL_LIMIT_BYTES;

/** The internal switch for tests: two threads from this many bytes up to `limit` (no arguments: the defaults). */
export function setParallelThreshold(bytes = PARALLEL_THRESHOLD_BYTES, limit = PARALLEL_LIMIT_BYTES): void {
  parallelThreshold = bytes;
  parallelLimit = limit;
}
/**
 * Documents are handed out in batches of about this many bytes. Small batches on the main thread:
 * a batch's texts and values then die young instead of being promoted to the old generation, which
 * grew to three times its live size on 10,000 resources with 256 KB batches. The worker gets
 * larger ones (each message costs a copy and a wake-up), two at a time so it never waits for the
 * next.
 */
export const MAIN_BATCH_BYTES = 16 * 1024;
export const WORKER_BATCH_BYTES = 32 * 1024;
const WORKER_IN_FLIGHT = 3;

export function availableThreads(): number {
  return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

/** A batch under way: on the worker (`remote`, settles when its reply arrives) or on this thread. */
export interface Running {
  promise: Promise<ResourceResult[][]>;
  remote: boolean;
}

type Reply = { ready?: boolean; id?: number; results?: ResourceResult[][]; error?: string };

export class Scheduler {
  private worker: Worker | undefined;
  private ready = false;
  private broken = false;
  /** The input's size was known up front and the decision taken. */
  private planned = false;
  private launchedWorker = false;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (r: ResourceResult[][]) => void; reject: (e: Error) => void }>();
  private readonly options: ValidatorOptions;
  private readonly threads: number;
  private readonly fallback: FallbackValidators | undefined;

  constructor(options: ValidatorOptions, threads: number, fallback?: FallbackValidators) {
    this.options = options;
    this.threads = threads;
    this.fallback = fallback;
  }

  /** The input's whole size, when known before reading: the worker is started now, or never. */
  plan(totalBytes: number): void {
    this.planned = true;
    if (totalBytes >= parallelThreshold && totalBytes < parallelLimit) this.start();
  }

  /** Called as input of unknown size is read (standard input): starts the worker once there is enough of it. */
  sawBytes(total: number): void {
    if (!this.planned && total >= parallelThreshold) this.start();
  }

  /** Whether plan() or sawBytes() started a worker thread. */
  get launched(): boolean {
    return this.launchedWorker;
  }

  private start(): void {
    if (this.worker || this.broken || this.fallback || this.threads < 2) return;
    try {
      // A small young generation: the worker allocates in bursts of one batch, and a large nursery only
      // raises the process's peak memory. Running out of heap ends the worker; its batch is redone here.
      // node:worker_threads is loaded only here: small inputs never start a worker and skip its ~10 ms
      const { Worker: WorkerThread } = process.getBuiltinModule("node:worker_threads");
      const worker = new WorkerThread(new URL("./worker-entry.ts", import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
      this.launchedWorker = true;
      worker.unref();
      worker.on("message", (m: Reply) => {
        if (m.ready) this.ready = true;
        if (m.id === undefined) return;
        const waiter = this.waiting.get(m.id);
        if (!waiter) return;
        this.waiting.delete(m.id);
        if (this.waiting.size === 0) worker.unref();
        if (m.results) waiter.resolve(m.results);
        else waiter.reject(new Error(m.error ?? "worker failed"));
      });
      const forget = () => {
        this.broken = true;
        this.ready = false;
        for (const waiter of this.waiting.values()) waiter.reject(new Error("worker stopped"));
        this.waiting.clear();
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

  /** The size of the next batch: larger when it will go to the worker. */
  get batchBytes(): number {
    return this.workerFree ? WORKER_BATCH_BYTES : MAIN_BATCH_BYTES;
  }

  private get workerFree(): boolean {
    return this.worker !== undefined && this.ready && !this.broken && this.waiting.size < WORKER_IN_FLIGHT;
  }

  /** Validates a batch on the worker if it has room, else here (`consume`: the batch is not needed afterwards). */
  run(jobs: Job[], consume = false): Running {
    if (this.worker && this.workerFree) return { promise: this.onWorker(this.worker, jobs), remote: true };
    return { promise: validateJobs(jobs, this.options, this.fallback, consume), remote: false };
  }

  /** Lets the process exit: the worker is not needed any more. */
  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private onWorker(worker: Worker, jobs: Job[]): Promise<ResourceResult[][]> {
    const id = this.nextId++;
    worker.ref(); // keep the process alive while the worker has work
    return new Promise<ResourceResult[][]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, jobs, options: this.options });
    }).catch(() => validateJobs(jobs, this.options)); // a broken worker leaves its batch to the main thread
  }
}
