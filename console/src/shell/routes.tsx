import type { FunctionComponent } from 'preact';
import type { PageProps } from './page';
// One import line per page, in alphabetical order of the page's file.
import { CashPage } from '../pages/cash';
import { EventsPage } from '../pages/events';
import { ExceptionsPage } from '../pages/exceptions';
import { LinksPage } from '../pages/links';
import { MandatePage, MandatesPage } from '../pages/mandates';
import { PaymentPage } from '../pages/payment';
import { PaymentsPage } from '../pages/payments';
import { PayoutPage, PayoutsPage } from '../pages/payouts';
import { ReportPage } from '../pages/report';

export interface Route {
  /** The hash path with `:name` parameters, e.g. `/payments/:paymentId`. */
  readonly path: string;
  readonly page: FunctionComponent<PageProps>;
}

/** Every page of the console: one entry per route, in alphabetical order of the path. */
export const routes: readonly Route[] = [
  { path: '/cash', page: CashPage },
  { path: '/events', page: EventsPage },
  { path: '/exceptions', page: ExceptionsPage },
  { path: '/links', page: LinksPage },
  { path: '/mandates', page: MandatesPage },
  { path: '/mandates/:mandateId', page: MandatePage },
  { path: '/payments', page: PaymentsPage },
  { path: '/payments/:paymentId', page: PaymentPage },
  { path: '/payouts', page: PayoutsPage },
  { path: '/payouts/:payoutId', page: PayoutPage },
  { path: '/report', page: ReportPage },
];

export interface RouteMatch {
  readonly route: Route;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
}

/** The route of a location hash (`#/payments/pay_1?x=y`), its parameters and query; undefined when none matches. */
export const matchRoute = (hash: string, table: readonly Route[] = routes): RouteMatch | undefined => {
  const raw = hash.replace(/^#/, '');
  const queryAt = raw.indexOf('?');
  const path = queryAt === -1 ? raw : raw.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : raw.slice(queryAt + 1));
  const segments = path.split('/').filter((segment) => segment !== '');
  for (const route of table) {
    const pattern = route.path.split('/').filter((segment) => segment !== '');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith(':')) {
        try {
          params[part.slice(1)] = decodeURIComponent(segment);
        } catch {
          return false;
        }
        return true;
      }
      return part === segment;
    });
    if (matches) return { route, params, query };
  }
  return undefined;
};
