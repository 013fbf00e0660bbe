export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
}

/**
 * Where the client keeps the signed-in session: memory, localStorage, the keychain… The
 * client reads it before each request and writes it after sign-in, refresh and sign-out.
 */
export interface TokenStore {
  get(): SessionTokens | null | Promise<SessionTokens | null>;
  set(tokens: SessionTokens | null): void | Promise<void>;
}

/** Keeps the session in memory: for servers, scripts and tests. */
export function memoryTokenStore(initial: SessionTokens | null = null): TokenStore {
  let tokens = initial;
  return {
    get: () => tokens,
    set: (next) => {
      tokens = next;
    },
  };
}
