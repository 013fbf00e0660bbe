// What must never reach a browser bundle: the API's code and the database, server and queue
// libraries behind it. Shared by the client's bundle check and the web app's.

export const SERVER_PACKAGES = [/^@prisma\//, /^fastify$/, /^@fastify\//, /^pg$/, /^pg-boss$/, /^jose$/, /^zod$/];
export const SERVER_SOURCES = /(^|[\\/])packages[\\/](api|db|config|jobs|logger|domain)[\\/]/;

/** The npm package a bundled file belongs to (pnpm paths also name peers, so take the last one). */
export function packageOf(input: string): string | undefined {
  return /.*node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(input)?.[1]?.replace("\\", "/");
}

/** The server packages and sources among a bundle's inputs (both lists empty when it is clean). */
export function serverCodeIn(inputs: readonly string[]): { packages: string[]; sources: string[] } {
  const packages = new Set(inputs.map(packageOf).filter((name) => name !== undefined));
  return {
    packages: [...packages].filter((name) => SERVER_PACKAGES.some((pattern) => pattern.test(name))),
    sources: inputs.filter((input) => SERVER_SOURCES.test(input)),
  };
}
