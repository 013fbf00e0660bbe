import { useSyncExternalStore } from "react";

// One app-wide message (rate limited, server unreachable), shown in the status bar until dismissed.
let current: string | null = null;
const listeners = new Set<() => void>();

export function showAlert(message: string | null): void {
  current = message;
  for (const listener of listeners) listener();
}

export function useAlert(): string | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}

export function useOnline(): boolean {
  return useSyncExternalStore(
    (listener) => {
      window.addEventListener("online", listener);
      window.addEventListener("offline", listener);
      return () => {
        window.removeEventListener("online", listener);
        window.removeEventListener("offline", listener);
      };
    },
    () => navigator.onLine,
  );
}
