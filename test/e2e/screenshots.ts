import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const COMMITTED = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

/**
 * Where the browser tests write their screenshots. `npm run screenshots` (SETTLED_UPDATE_SCREENSHOTS=1) writes the
 * committed ones in docs/screenshots; any other run still takes every shot (the page must render to be shot) but
 * into one folder under the system's temp folder (the same every run, so runs do not pile up), and running the suite
 * never leaves the working tree changed (ids differ every run).
 */
export const screenshotFolder = (): string => {
  if (process.env.SETTLED_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(COMMITTED, { recursive: true });
    return COMMITTED;
  }
  const scratch = join(tmpdir(), 'settled-screenshots');
  mkdirSync(scratch, { recursive: true });
  return scratch;
};
