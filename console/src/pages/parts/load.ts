import { useEffect, useState } from 'preact/hooks';

export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'failed'; readonly error: unknown }
  | { readonly state: 'ready'; readonly data: T };

/**
 * Runs `load` when the page opens and again whenever one of `deps` changes (a cursor, a filter) or `reload()` is
 * called; an answer that arrives after a newer request started is dropped, so a slow page never overwrites a newer one.
 */
export const useLoad = <T>(load: () => Promise<T>, deps: readonly unknown[]): { readonly loaded: Loaded<T>; readonly reload: () => void } => {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    load().then(
      (data) => {
        if (current) setLoaded({ state: 'ready', data });
      },
      (error: unknown) => {
        if (current) setLoaded({ state: 'failed', error });
      },
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  return { loaded, reload: () => setRound((value) => value + 1) };
};

/** Cursor paging for a list page: the cursor of the page shown (undefined: the first) and moves. */
export const useCursor = () => {
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  return {
    cursor,
    next: (value: string) => setCursor(value),
    first: cursor === undefined ? undefined : () => setCursor(undefined),
  };
};
