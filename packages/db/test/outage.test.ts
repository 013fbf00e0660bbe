import { afterAll, expect, it } from "vitest";
import { createDatabaseClient, isDatabaseUnavailable } from "@daycarat/db";
import { createTestDatabase } from "@daycarat/testkit";

it("counts a transaction that cannot get a connection in time (an exhausted pool) as unavailable, not as a fault", async () => {
  const { url } = await createTestDatabase();
  const db = createDatabaseClient(url, { maxConnections: 1 });
  afterAll(() => db.$disconnect());
  const { promise: released, resolve: release } = Promise.withResolvers<undefined>();
  const holding = db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1`;
    await released;
  });
  // Let the first transaction take the pool's only connection.
  await new Promise((resolve) => setTimeout(resolve, 200));

  const waiting = await db
    .$transaction(async (tx) => tx.$queryRaw`SELECT 1`, { maxWait: 100 })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  release(undefined);
  await holding;

  expect(waiting).toBeInstanceOf(Error);
  expect(isDatabaseUnavailable(waiting)).toBe(true);
});

it("does not count a query's own error as the database being unavailable", async () => {
  const { url } = await createTestDatabase();
  const db = createDatabaseClient(url, { maxConnections: 1 });
  afterAll(() => db.$disconnect());
  const failure = await db.$queryRaw`SELECT 1/0`.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(Error);
  expect(isDatabaseUnavailable(failure)).toBe(false);
});

it("counts node-postgres' lost and late connections as unavailable, in its errors or in the plain copies pg-boss reports", () => {
  const context = " (Queue: push.deliver, Worker: 1e38db98-53b8-47a4-a90e-bd10c7d411d2)";
  for (const words of [
    "Connection terminated unexpectedly",
    "Connection terminated due to connection timeout",
    "Client has encountered a connection error and is not queryable",
    "timeout exceeded when trying to connect",
    "timeout expired",
  ]) {
    expect(isDatabaseUnavailable(new Error(words)), words).toBe(true);
    expect(isDatabaseUnavailable({ message: `${words}${context}` }), words).toBe(true);
  }
  expect(isDatabaseUnavailable({ message: "Connection refused by the remote service" })).toBe(false);
  expect(isDatabaseUnavailable(new Error("Client was closed and is not queryable"))).toBe(false);
});
