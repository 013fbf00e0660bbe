// Where the app is served (`npm start`, `vite`, `vite preview`): its own origin, not the API's.

/** WEB_PORT, 5173 by default. */
export function webPort(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.WEB_PORT ?? 5173);
}

export function webOrigin(env: NodeJS.ProcessEnv = process.env): string {
  return `http://localhost:${webPort(env)}`;
}
