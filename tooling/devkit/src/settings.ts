// A benchmark's knobs, from the environment; unset or empty gives the documented default.

/** A whole number of at least `minimum`. */
export function integerSetting(name: string, fallback: number, minimum = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) throw new Error(`${name} must be a whole number of at least ${minimum}, not "${raw}"`);
  return value;
}

/** Comma-separated whole numbers, each at least `minimum`. */
export function integerListSetting(name: string, fallback: readonly number[], minimum = 1): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return [...fallback];
  const values = raw.split(",").map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < minimum)) {
    throw new Error(`${name} must be whole numbers of at least ${minimum} separated by commas, not "${raw}"`);
  }
  return values;
}

/** Comma-separated parts, each one of `allowed`; all of them when unset. */
export function choiceListSetting<const Choice extends string>(name: string, allowed: readonly Choice[]): Choice[] {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return [...allowed];
  const parts = raw.split(",").map((part) => part.trim());
  const isAllowed = (part: string): part is Choice => (allowed as readonly string[]).includes(part);
  if (parts.length === 0 || !parts.every(isAllowed)) throw new Error(`${name} must be some of ${allowed.join(",")}, not "${raw}"`);
  return parts.filter(isAllowed);
}
