import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

/** Advisory-lock namespace of the AI call slots (any constant no other lock uses). */
const SLOT_LOCK_NAMESPACE = 4_210_001;
const WAIT_BETWEEN_TRIES_MS = 200;

export interface ConcurrencySlots {
  /** Runs `work` holding one of the slots shared by every worker process, waiting for one if need be. */
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  close(): Promise<void>;
}

/**
 * A limit shared by all workers, kept by Postgres: a slot is a session advisory lock held on
 * its own connection for the length of a model call. A worker that dies loses its
 * connection and, with it, its slot, so nothing leaks. Session locks: `databaseUrl` must be a
 * direct connection (DATABASE_DIRECT_URL), never a pooler in transaction mode.
 */
export function createConcurrencySlots(options: { databaseUrl: string; limit: number; maxHolders: number }): ConcurrencySlots {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.maxHolders, application_name: "daycarat-ai-slots" });

  async function tryAcquire(client: pg.PoolClient): Promise<number | undefined> {
    // Start at a random slot so waiting workers do not all contend for slot 0.
    const offset = Math.floor(Math.random() * options.limit);
    for (let index = 0; index < options.limit; index++) {
      const slot = (offset + index) % options.limit;
      const { rows } = await client.query<{ acquired: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS acquired", [
        SLOT_LOCK_NAMESPACE,
        slot,
      ]);
      if (rows[0]?.acquired) return slot;
    }
    return undefined;
  }

  async function waitForSlot(client: pg.PoolClient, signal?: AbortSignal): Promise<number> {
    for (;;) {
      const slot = await tryAcquire(client);
      if (slot !== undefined) return slot;
      await sleep(WAIT_BETWEEN_TRIES_MS, undefined, { signal });
    }
  }

  return {
    async run(work, signal) {
      const client = await pool.connect();
      try {
        const slot = await waitForSlot(client, signal);
        try {
          return await work();
        } finally {
          await client.query("SELECT pg_advisory_unlock($1, $2)", [SLOT_LOCK_NAMESPACE, slot]);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
