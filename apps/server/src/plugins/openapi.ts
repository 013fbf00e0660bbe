import fastifySwagger, { type StaticDocumentSpec } from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { fastifyTRPCOpenApiPlugin } from "trpc-to-openapi";
import { appRouter, openApiDocument, REST_BASE_PATH } from "@daycarat/api";
import { restCall } from "./rate-limits.ts";
import { readRestInput, refuseInputCoercion, typedQueryParameters } from "./rest-input.ts";
import { requestContextFactory, type ApiRouteOptions } from "./trpc.ts";

/**
 * Every public procedure as REST under /api/v1 (trpc-to-openapi, through the same router and
 * context as /trpc, so auth, logging, limits and errors are the same), its OpenAPI document at
 * /openapi.json and Swagger UI at /docs.
 */
export const openApiRoutes: FastifyPluginAsync<ApiRouteOptions> = async (app, routeOptions) => {
  const document = openApiDocument();
  refuseInputCoercion(appRouter);
  const requestContext = requestContextFactory(routeOptions);

  await app.register(async (rest) => {
    rest.addHook("preValidation", readRestInput(typedQueryParameters(document)));
    await rest.register(fastifyTRPCOpenApiPlugin, {
      basePath: REST_BASE_PATH,
      router: appRouter,
      createContext: ({ req, res, info }: { req: FastifyRequest; res: FastifyReply; info: { type: string } }) =>
        requestContext(req, res, [restCall(req, info.type)]),
    });
  });

  app.get("/openapi.json", () => document);

  // Swagger UI reads the document through @fastify/swagger, which serves it as given; its
  // types know OpenAPI 3.0 documents only, this one is 3.1.
  const staticDocument = document as unknown as StaticDocumentSpec["document"];
  await app.register(fastifySwagger, { mode: "static", specification: { document: staticDocument } });
  await app.register(fastifySwaggerUi, {
    routePrefix: "/docs",
    // A page view loads half a dozen assets: their request lines would drown the API's.
    logLevel: "warn",
    theme: { title: "DayCarat API" },
    uiConfig: { persistAuthorization: true, tryItOutEnabled: true, displayOperationId: true, displayRequestDuration: true },
  });
};
