import { useSyncExternalStore } from "react";
import type { SessionTokens, TokenStore } from "@daycarat/client";

const STORAGE_KEY = "daycarat.session";
const listeners = new Set<() => void>();

function read(): SessionTokens | null {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as SessionTokens | null;
  } catch {
    return null;
  }
}

/**
 * The session in localStorage, so that it survives reloads. The client writes it on sign-in,
 * refresh and sign-out; the screens follow it through `useSignedIn`.
 */
export const sessionStore: TokenStore & { subscribe: (listener: () => void) => () => void } = {
  get: read,
  set: (tokens) => {
    if (tokens) localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    else localStorage.removeItem(STORAGE_KEY);
    for (const listener of listeners) listener();
  },
  subscribe: (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export const isSignedIn = (): boolean => read() !== null;

export function useSignedIn(): boolean {
  return useSyncExternalStore(sessionStore.subscribe, isSignedIn);
}
