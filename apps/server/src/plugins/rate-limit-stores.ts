import type { DatabaseClient } from "@daycarat/db";

/** A key's count in its current fixed window, after this hit. */
export interface WindowCount {
  hits: number;
  /** Until the window ends and the count starts again. */
  resetsInMs: number;
}

/** Fixed-window counters: `hit` adds `weight` to the key's count in its window, opening one if none is open. */
export interface RateLimitStore {
  hit(key: string, weight: number, windowMs: number): Promise<WindowCount>;
}

/** Ended windows are swept after this many hits; nothing else reads them. */
const SWEEP_EVERY_HITS = 1_000;

/** Counters of this process alone, in memory. */
export function memoryRateLimitStore(): RateLimitStore {
  const windows = new Map<string, { hits: number; resetsAt: number }>();
  let hitsSinceSweep = 0;
  return {
    hit(key, weight, windowMs) {
      const now = Date.now();
      if (++hitsSinceSweep >= SWEEP_EVERY_HITS) {
        hitsSinceSweep = 0;
        for (const [name, window] of windows) if (window.resetsAt <= now) windows.delete(name);
      }
      let window = windows.get(key);
      if (!window || window.resetsAt <= now) {
        window = { hits: 0, resetsAt: now + windowMs };
        windows.set(key, window);
      }
      window.hits += weight;
      return Promise.resolve({ hits: window.hits, resetsInMs: window.resetsAt - now });
    },
  };
}

/**
 * Counters shared by every server process, in the `rate_limit_counters` table: one atomic
 * upsert per hit, which opens a new window when the key's last one has ended. Postgres's clock
 * alone decides windows, so processes on machines whose clocks differ still agree.
 */
export function postgresRateLimitStore(db: DatabaseClient, onSweepFailure: (error: unknown) => void): RateLimitStore {
  let hitsSinceSweep = 0;
  return {
    async hit(key, weight, windowMs) {
      if (++hitsSinceSweep >= SWEEP_EVERY_HITS) {
        hitsSinceSweep = 0;
        db.$executeRaw`DELETE FROM rate_limit_counters WHERE "resetsAt" <= now()`.catch(onSweepFailure);
      }
      const [row] = await db.$queryRaw<{ hits: number; resetsInMs: number }[]>`
        INSERT INTO rate_limit_counters (key, hits, "resetsAt")
        VALUES (${key}, ${weight}::int, now() + make_interval(secs => ${windowMs / 1000}::float8))
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN rate_limit_counters."resetsAt" <= now() THEN excluded.hits ELSE rate_limit_counters.hits + excluded.hits END,
          "resetsAt" = CASE WHEN rate_limit_counters."resetsAt" <= now() THEN excluded."resetsAt" ELSE rate_limit_counters."resetsAt" END
        RETURNING hits, (extract(epoch FROM "resetsAt" - now()) * 1000)::int AS "resetsInMs"`;
      if (!row) throw new Error("the rate limit upsert returned no row");
      return row;
    },
  };
}
