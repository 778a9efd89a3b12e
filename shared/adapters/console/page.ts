import { createHash } from 'node:crypto';
import type { ApiResponse } from '../../runtime/http/api-handler';

/** Where the console's script and stylesheet are served. */
export const CONSOLE_ASSETS_PATH = '/console/assets';

/**
 * Headers of the console page and its assets: scripts, styles and API calls to Settled itself only (`'self'`, no
 * inline script or style attribute), images from itself or `data:`; nothing else (`default-src 'none'`), no framing,
 * `base-uri 'none'`, forms posting nowhere but here, `nosniff`, `no-referrer`.
 */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** A file the console page loads: its name carries a hash of its content, so it may be cached for good. */
export interface ConsoleAsset {
  readonly name: string;
  readonly contentType: string;
  readonly content: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

const asset = (base: string, extension: string, contentType: string, content: string): ConsoleAsset => ({
  name: `${base}.${createHash('sha256').update(content, 'utf8').digest('hex').slice(0, 16)}.${extension}`,
  contentType,
  content,
});

export interface ConsoleSite {
  /** The HTML shell (GET /console): links the hashed script and stylesheet, no inline script. */
  readonly page: string;
  /** The asset called `name` (with its hash), or undefined. */
  readonly asset: (name: string) => ConsoleAsset | undefined;
}

/** The console's page and assets for a built bundle (infra/console-bundle.mjs). */
export const consoleSite = (bundle: { readonly script: string; readonly stylesheet: string }): ConsoleSite => {
  const script = asset('app', 'js', 'text/javascript; charset=utf-8', bundle.script);
  const stylesheet = asset('app', 'css', 'text/css; charset=utf-8', bundle.stylesheet);
  const byName = new Map([script, stylesheet].map((entry) => [entry.name, entry]));
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Settled console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${CONSOLE_ASSETS_PATH}/${stylesheet.name}">
<script defer src="${CONSOLE_ASSETS_PATH}/${script.name}"></script>
</head>
<body>
<div id="app"><noscript>The Settled console needs JavaScript.</noscript></div>
</body>
</html>
`;
  return { page, asset: (name) => byName.get(name) };
};

/** An asset answer: cached for good (its name changes with its content). */
export const immutableAsset = (entry: ConsoleAsset): ApiResponse => ({
  statusCode: 200,
  headers: { ...CONSOLE_HEADERS, 'cache-control': IMMUTABLE },
  rawBody: { contentType: entry.contentType, content: entry.content },
});
