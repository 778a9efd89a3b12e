import { openApiDocumentFor, requestBaseUrl } from '../../shared/adapters/api-reference/document';
import { referenceAsset } from '../../shared/adapters/api-reference/assets';
import { REFERENCE_PAGE, REFERENCE_PAGE_HEADERS, immutable, revalidated } from '../../shared/adapters/api-reference/page';
import { NotFoundError } from '../../shared/domain/errors';
import { createApiHandler } from '../../shared/runtime/http/api-handler';
import { pathParameter } from '../../shared/runtime/http/query';

export const handler = createApiHandler({
  // docs/openapi.yaml as JSON; its one server is the URL this request came in on, so "Try it out" calls this runtime.
  'GET /openapi.json': async (event) =>
    revalidated(event, 'application/json', JSON.stringify(openApiDocumentFor(requestBaseUrl(event))), { vary: 'host, x-forwarded-proto' }),
  // Swagger UI rendering that document, under a CSP that allows nothing but Settled's own files.
  'GET /docs': async (event) => revalidated(event, 'text/html; charset=utf-8', REFERENCE_PAGE, REFERENCE_PAGE_HEADERS),
  'GET /docs/assets/{asset}': async (event) => {
    const asset = referenceAsset(pathParameter(event, 'asset'));
    if (asset === undefined) throw new NotFoundError('There is no such asset of the API reference.');
    return immutable(asset);
  },
});
