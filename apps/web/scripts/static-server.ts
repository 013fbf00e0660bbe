import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import sirv from "sirv";

/** Vite names what it builds into assets/ by content hash: such a file never changes. */
function cacheHeaders(response: ServerResponse, pathname: string): void {
  response.setHeader("Cache-Control", pathname.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
}

/** A page the app's router draws (a browser navigating to /episodes/…), not a file that is missing. */
const wantsPage = (request: IncomingMessage) =>
  ["GET", "HEAD"].includes(request.method ?? "") && (request.headers.accept ?? "").includes("text/html");

function notFound(response: ServerResponse): void {
  response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found");
}

export interface WebAppServer {
  close(): Promise<void>;
}

/**
 * Serves a built app (`dir`, from `vite build`) as a static host would: its files with ETags,
 * index.html for any page the router draws, and 404 for a file that is not there.
 */
export async function listenWebApp(dir: string, port: number, host = "localhost"): Promise<WebAppServer> {
  const files = sirv(dir, { etag: true, setHeaders: cacheHeaders });
  const server: Server = createServer((request, response) => {
    files(request, response, () => {
      if (!wantsPage(request)) {
        notFound(response);
        return;
      }
      request.url = "/index.html";
      files(request, response, () => {
        notFound(response);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject).listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
