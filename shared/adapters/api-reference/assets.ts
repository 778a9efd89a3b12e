import { createHash } from 'node:crypto';
import swaggerUiBundle from 'swagger-ui-dist/swagger-ui-bundle.js?raw';
import swaggerUiCss from 'swagger-ui-dist/swagger-ui.css?raw';

/** A file the API reference page loads from Settled itself (never a CDN). */
export interface ReferenceAsset {
  /** Its name under /docs/assets/: the file's name with a hash of its content, so it may be cached for good. */
  readonly name: string;
  readonly contentType: string;
  readonly content: string;
}

/**
 * Swagger UI's configuration, as a served script: the page's CSP allows scripts from 'self' only, never inline.
 * - `url`: the document of the runtime serving the page; `queryConfigEnabled: false` so a link cannot make the
 *   page load another document (`?url=`), and `validatorUrl: null` so nothing is sent to swagger.io's validator.
 * - Bearer keys typed into "Authorize" stay in the page's memory (`persistAuthorization: false`).
 */
export const SWAGGER_UI_INITIALISER = `window.addEventListener('DOMContentLoaded', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    queryConfigEnabled: false,
    validatorUrl: null,
    persistAuthorization: false,
    displayRequestDuration: true,
    defaultModelsExpandDepth: 0,
    docExpansion: 'list',
  });
});
`;

const asset = (file: string, contentType: string, content: string): ReferenceAsset => {
  const dot = file.lastIndexOf('.');
  const hash = createHash('sha256').update(content, 'utf8').digest('hex').slice(0, 16);
  return { name: `${file.slice(0, dot)}.${hash}${file.slice(dot)}`, contentType, content };
};

/** The stylesheet's source map is not shipped: drop its reference so developer tools do not ask for it. */
const withoutSourceMap = (css: string): string => css.replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '');

export const REFERENCE_ASSETS = {
  stylesheet: asset('swagger-ui.css', 'text/css; charset=utf-8', withoutSourceMap(swaggerUiCss)),
  bundle: asset('swagger-ui-bundle.js', 'text/javascript; charset=utf-8', swaggerUiBundle),
  initialiser: asset('settled-docs.js', 'text/javascript; charset=utf-8', SWAGGER_UI_INITIALISER),
} as const satisfies Record<string, ReferenceAsset>;

const byName: ReadonlyMap<string, ReferenceAsset> = new Map(Object.values(REFERENCE_ASSETS).map((entry) => [entry.name, entry]));

/** The asset called `name` (with its hash), or undefined. */
export const referenceAsset = (name: string): ReferenceAsset | undefined => byName.get(name);
