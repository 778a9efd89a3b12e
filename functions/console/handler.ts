import consoleBundle from '../../console/src/main.tsx?bundle';
import { CONSOLE_HEADERS, consoleSite, immutableAsset } from '../../shared/adapters/console/page';
import { revalidated } from '../../shared/adapters/http-revalidation';
import { NotFoundError } from '../../shared/domain/errors';
import { createApiHandler } from '../../shared/runtime/http/api-handler';
import { pathParameter } from '../../shared/runtime/http/query';

// The operations console (docs/console.md): a static page and its two assets, built into this bundle at build time.
// The browser calls the public API itself with the operator's key; this function never sees the key.
const site = consoleSite(consoleBundle);

export const handler = createApiHandler({
  'GET /console': async (event) => revalidated(event, 'text/html; charset=utf-8', site.page, CONSOLE_HEADERS),
  'GET /console/assets/{asset}': async (event) => {
    const asset = site.asset(pathParameter(event, 'asset'));
    if (asset === undefined) throw new NotFoundError('There is no such asset of the console.');
    return immutableAsset(asset);
  },
});
