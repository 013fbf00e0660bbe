import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { JobRun, QueueHealth } from "@daycarat/jobs";
import { sharedWhileInFlight } from "./registry.ts";

const JOB_OUTCOMES: readonly JobRun["outcome"][] = ["completed", "retrying", "failed"];

/**
 * `daycarat_jobs_total{queue,outcome}` (one per job; a batch counts each of its jobs) and
 * `daycarat_job_duration_seconds{queue}` (one per handler run: a batch is one run). Every
 * queue's counters start at 0, so that rates and increases see their first job.
 */
export function createJobMetrics(registry: Registry, queues: readonly string[]): (run: JobRun) => void {
  const jobs = new Counter({
    name: "daycarat_jobs_total",
    help: "Jobs run by this worker, by queue and outcome (completed; retrying: failed, tried again; failed: on its last attempt).",
    labelNames: ["queue", "outcome"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "daycarat_job_duration_seconds",
    help: "How long one run of a queue's handler took (a batch of jobs is one run).",
    labelNames: ["queue"],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  for (const queue of queues) for (const outcome of JOB_OUTCOMES) jobs.inc({ queue, outcome }, 0);
  return (run) => {
    jobs.inc({ queue: run.queue, outcome: run.outcome }, run.jobs);
    duration.observe({ queue: run.queue }, run.seconds);
  };
}

/**
 * `daycarat_queue_jobs{queue,state}` and `daycarat_queue_oldest_ready_seconds{queue}`, read from
 * the queues at each scrape (one read for both). Dead letters are the `dead_letters` state of
 * the queue they came from.
 */
export function gaugeQueues(registry: Registry, health: () => Promise<QueueHealth[]>): void {
  const shared = sharedWhileInFlight(health);
  // While the database is down the queues cannot be read: the gauges keep their last values, and
  // the rest of the scrape (the jobs' counters, the pool, the process) still answers instead of
  // the whole endpoint failing when an operator needs it most.
  const read = () => shared().catch((): QueueHealth[] => []);
  new Gauge({
    name: "daycarat_queue_jobs",
    help: "Jobs in each queue by state: ready, active, deferred (waiting for their start time), failed (kept), dead_letters.",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      for (const queue of await read()) {
        const states = {
          ready: queue.ready,
          active: queue.active,
          deferred: queue.deferred,
          failed: queue.failed,
          dead_letters: queue.deadLetter?.waiting ?? 0,
        };
        for (const [state, count] of Object.entries(states)) this.set({ queue: queue.name, state }, count);
      }
    },
  });
  new Gauge({
    name: "daycarat_queue_oldest_ready_seconds",
    help: "How long the longest-waiting ready job of each queue has been ready to run (0: none waits).",
    labelNames: ["queue"],
    registers: [registry],
    async collect() {
      for (const queue of await read()) this.set({ queue: queue.name }, queue.oldestReadySeconds);
    },
  });
}
