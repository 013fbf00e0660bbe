import { useCallback, useEffect, useRef, useState } from "react";

export type AutosaveStatus = "idle" | "pending" | "saving" | "saved" | "failed";

/**
 * Saves `value` a moment after the last change (`delayMs`), one save at a time; `flush` saves
 * at once (before a submit). A failed save is tried again on the next change or flush.
 */
export function useAutosave<T>(value: T, save: (value: T) => Promise<unknown>, delayMs = 800) {
  const [status, setStatus] = useState<AutosaveStatus>("idle");
  const latest = useRef(value);
  const saved = useRef(value);
  const inFlight = useRef<Promise<void>>(Promise.resolve());
  latest.current = value;

  const flush = useCallback((): Promise<void> => {
    inFlight.current = inFlight.current.then(async () => {
      const next = latest.current;
      if (next === saved.current) return;
      setStatus("saving");
      try {
        await save(next);
        saved.current = next;
        setStatus(latest.current === next ? "saved" : "pending");
      } catch {
        setStatus("failed");
      }
    });
    return inFlight.current;
  }, [save]);

  useEffect(() => {
    if (value === saved.current) return;
    setStatus("pending");
    const timer = setTimeout(() => {
      void flush();
    }, delayMs);
    return () => {
      clearTimeout(timer);
    };
  }, [value, flush, delayMs]);

  return { status, flush };
}
