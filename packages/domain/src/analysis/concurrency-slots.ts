import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

/** Advisory-lock namespace of the AI call slots (any constant no other lock uses). */
const SLOT_LOCK_NAMESPACE = 4_210_001;
const WAIT_BETWEEN_TRIES_MS = 200;

export interface SlotLease {
  release(): Promise<void>;
}

export interface ConcurrencySlots {
  /** Waits for one of the slots shared by every worker process. */
  acquire(signal?: AbortSignal): Promise<SlotLease>;
  close(): Promise<void>;
}

/**
 * A limit shared by all workers, kept by Postgres: a slot is a session advisory lock held on
 * its own connection for the length of a model call. A worker that dies loses its
 * connection and, with it, its slot, so nothing leaks.
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

  return {
    async acquire(signal) {
      const client = await pool.connect();
      try {
        for (;;) {
          const slot = await tryAcquire(client);
          if (slot !== undefined) {
            return {
              release: async () => {
                await client.query("SELECT pg_advisory_unlock($1, $2)", [SLOT_LOCK_NAMESPACE, slot]);
                client.release();
              },
            };
          }
          await sleep(WAIT_BETWEEN_TRIES_MS, undefined, { signal });
        }
      } catch (error) {
        client.release();
        throw error;
      }
    },
    close: () => pool.end(),
  };
}
