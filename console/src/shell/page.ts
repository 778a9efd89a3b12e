import type { SettledClient } from '../../../clients/typescript/src/client';

/** What the shell gives every page (console/src/pages/<name>.tsx exports `function XPage(props: PageProps)`). */
export interface PageProps {
  readonly client: SettledClient;
  /** Route parameters, e.g. `{ paymentId }` for `#/payments/:paymentId`. */
  readonly params: Readonly<Record<string, string>>;
  /** The part after '?' in the hash, for filters: `#/payments?status=settled`. */
  readonly query: URLSearchParams;
  /** Goes to another page of the console, e.g. `navigate('#/payouts/pay_123')`. */
  readonly navigate: (hash: string) => void;
}
