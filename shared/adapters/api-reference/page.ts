import type { ApiResponse } from '../../runtime/http/api-handler';
import { REFERENCE_ASSETS, type ReferenceAsset } from './assets';

export const ASSETS_PATH = '/docs/assets';

/**
 * Headers of the reference page and its assets:
 * - scripts, styles and fonts from Settled itself only (`'self'`, no inline script: Swagger UI is configured by a
 *   served file), images from itself or `data:` (Swagger UI's icons), requests ("Try it out") to itself only;
 * - no framing (`frame-ancestors 'none'`, `X-Frame-Options: DENY`), `base-uri 'none'`, `nosniff`, `no-referrer`.
 */
export const REFERENCE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Asset names carry their content's hash, so a name always means the same bytes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const assetUrl = (asset: ReferenceAsset): string => `${ASSETS_PATH}/${asset.name}`;

export const REFERENCE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Settled API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetUrl(REFERENCE_ASSETS.stylesheet)}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${assetUrl(REFERENCE_ASSETS.bundle)}"></script>
<script src="${assetUrl(REFERENCE_ASSETS.initialiser)}"></script>
</body>
</html>
`;

/** A page or document answer: revalidated by ETag, 304 with no body when the client has it already. */
export { revalidated } from '../http-revalidation';

/** An asset answer: cached for good (its name changes with its content). */
export const immutable = (asset: ReferenceAsset): ApiResponse => ({
  statusCode: 200,
  headers: { ...REFERENCE_PAGE_HEADERS, 'cache-control': IMMUTABLE },
  rawBody: { contentType: asset.contentType, content: asset.content },
});
