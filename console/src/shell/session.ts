/**
 * The API key of the signed-in operator: in sessionStorage only, so it is gone when the tab closes and never shared
 * with other tabs or written to disk as localStorage would be.
 */
const KEY = 'settled.console.apiKey';

export const storedApiKey = (): string | undefined => {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
};

export const storeApiKey = (apiKey: string): void => sessionStorage.setItem(KEY, apiKey);

export const clearApiKey = (): void => sessionStorage.removeItem(KEY);
