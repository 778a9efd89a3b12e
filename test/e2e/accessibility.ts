import axe from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * The serious and critical accessibility violations axe-core finds on the page as it is now, each as
 * `id (impact): targets`. axe is evaluated through the DevTools protocol, so a page's CSP (script-src 'self') does not
 * refuse it; a page that runs no script at all (the payer's pages, JavaScript disabled) is audited on a copy.
 */
export const seriousViolations = async (page: Page): Promise<string[]> => {
  await page.evaluate(axe.source);
  const found: unknown = await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((results) => results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => violation.id + ' (' + violation.impact + '): ' + violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')))`,
  );
  if (!Array.isArray(found) || !found.every((entry) => typeof entry === 'string')) throw new Error(`axe-core answered ${JSON.stringify(found)}`);
  return found;
};
