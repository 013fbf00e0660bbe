import { Gauge, type Registry } from "prom-client";

/** A pg pool's connections, as node-postgres counts them. */
export interface PoolConnections {
  total: number;
  idle: number;
  waiting: number;
}

/** `daycarat_db_pool_connections{state}`: the Prisma pool's connections, read at each scrape. */
export function gaugeDatabasePool(registry: Registry, read: () => PoolConnections): void {
  new Gauge({
    name: "daycarat_db_pool_connections",
    help: "The database pool's connections: total open, idle, and requests waiting for one.",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const connections = read();
      for (const state of ["total", "idle", "waiting"] as const) this.set({ state }, connections[state]);
    },
  });
}

/** `daycarat_sse_connections`: the live feed's open subscriptions, read at each scrape. */
export function gaugeLiveSubscriptions(registry: Registry, count: () => number): void {
  new Gauge({
    name: "daycarat_sse_connections",
    help: "Open server-sent-event subscriptions (notifications.onNew) in this process.",
    registers: [registry],
    collect() {
      this.set(count());
    },
  });
}
