import Fastify from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { lazySchemaCompilers } from "../src/schema-compilers.ts";

// The server gives Fastify its JSON-schema compilers to load on first use; a route that does
// declare a schema must still be validated and serialised by them, as by Fastify's defaults.
const app = Fastify({ schemaController: { compilersFactory: lazySchemaCompilers() } });
app.post(
  "/greet",
  {
    schema: {
      body: { type: "object", required: ["name"], properties: { name: { type: "string", maxLength: 5 } } },
      response: { 200: { type: "object", properties: { greeting: { type: "string" } } } },
    },
  },
  (request) => ({ greeting: `hello ${(request.body as { name: string }).name}`, secret: "not in the schema" }),
);
const url = await app.listen({ host: "127.0.0.1", port: 0 });
afterAll(() => app.close());

const post = (body: unknown) =>
  fetch(`${url}/greet`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("Fastify's schema compilers, loaded on first use", () => {
  it("validate a route's body with its JSON schema", async () => {
    const tooLong = await post({ name: "far too long" });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { message: string }).message).toContain("body/name");
    expect((await post({})).status).toBe(400);
  });

  it("serialise a route's answer with its response schema, leaving out what it does not name", async () => {
    const answer = await post({ name: "Ada" });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ greeting: "hello Ada" });
  });
});
