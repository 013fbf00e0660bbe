import { useEffect, useState } from "react";

/**
 * State kept in localStorage as it is typed, so that a draft outlives a reload or a sign-in
 * that had to be repeated; `clear` forgets it once the API has it.
 */
export function useStoredDraft<T>(key: string, initial: () => T): [T, (value: T) => void, () => void] {
  const storageKey = `daycarat.draft.${key}`;
  const [value, setValue] = useState<T>(() => {
    const stored = localStorage.getItem(storageKey);
    return stored ? (JSON.parse(stored) as T) : initial();
  });
  useEffect(() => {
    localStorage.setItem(storageKey, JSON.stringify(value));
  }, [storageKey, value]);
  return [
    value,
    setValue,
    () => {
      localStorage.removeItem(storageKey);
    },
  ];
}

/** Forgets every draft: signing out or deleting the account leaves nothing for the next person at this browser. */
export function forgetDrafts(): void {
  const keys = Array.from({ length: localStorage.length }, (_, index) => localStorage.key(index));
  for (const key of keys) if (key?.startsWith("daycarat.draft.")) localStorage.removeItem(key);
}
