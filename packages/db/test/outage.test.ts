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

it("counts a connection closed under a query as unavailable, in pg's error or in the plain copy pg-boss reports", () => {
  const closed = new Error("Connection terminated unexpectedly");
  const reported = {
    message: `${closed.message} (Queue: push.deliver, Worker: 1e38db98-53b8-47a4-a90e-bd10c7d411d2)`,
    stack: closed.stack,
  };
  expect(isDatabaseUnavailable(closed)).toBe(true);
  expect(isDatabaseUnavailable(reported)).toBe(true);
  expect(isDatabaseUnavailable({ message: "Connection refused by the remote service" })).toBe(false);
});
