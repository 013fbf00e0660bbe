import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// No vitest here: the demo and benchmarks run these stand-ins outside any test. Tests use the
// wrappers of @daycarat/testkit, which close them after the file's tests.

export interface LocalServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Every request received so far: method, path and headers. */
  requests: { method: string; path: string; headers: IncomingMessage["headers"] }[];
  /** The most requests that were open at once (received, not yet answered or abandoned). */
  maxInFlight(): number;
  /** TCP connections accepted so far: a client that keeps its sockets alive opens few. */
  connections(): number;
  close(): Promise<void>;
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** An HTTP server on a free loopback port, standing in for an outside API, until `close()`. */
export async function listenLocalServer(handle: RequestHandler): Promise<LocalServer> {
  const requests: LocalServer["requests"] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? "", path: request.url ?? "", headers: request.headers });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // "close" follows the end of the response, or the client hanging up before it.
    response.once("close", () => inFlight--);
    void Promise.resolve(handle(request, response)).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight: () => maxInFlight,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        // Done means done: a request still open (a `hang` reply) must not hold close() open.
        server.closeAllConnections();
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}
