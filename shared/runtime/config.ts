/** Fail-fast configuration: a missing variable stops the cold start with a clear message, not a later undefined. */
export const getStringFromEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
};

export const getOptionalStringFromEnv = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
};

export const getBooleanFromEnv = (name: string, fallback: boolean): boolean => {
  const value = getOptionalStringFromEnv(name);
  if (value === undefined) return fallback;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new Error(`Environment variable ${name} must be true or false, got "${value}"`);
};

/** A whole number ≥ 1, or `fallback` when unset; anything else (0, negative, not a number) stops the cold start. */
export const getPositiveIntegerFromEnv = (name: string, fallback: number): number => {
  const value = getOptionalStringFromEnv(name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new Error(`Environment variable ${name} must be a whole number of at least 1, got "${value}"`);
  }
  return Number(value);
};
