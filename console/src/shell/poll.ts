import { useEffect, useRef } from 'preact/hooks';

/**
 * Runs `task` now and then every `intervalMs` while the page is open (and the tab visible), never two at once.
 * The latest `task` is used each time, so it may read the page's current state.
 */
export const usePolling = (task: () => Promise<void>, intervalMs: number): void => {
  const latest = useRef(task);
  latest.current = task;
  useEffect(() => {
    let stopped = false;
    let running = false;
    const tick = async () => {
      if (stopped || running || document.visibilityState === 'hidden') return;
      running = true;
      try {
        await latest.current();
      } finally {
        running = false;
      }
    };
    void tick();
    const timer = window.setInterval(() => void tick(), intervalMs);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [intervalMs]);
};
