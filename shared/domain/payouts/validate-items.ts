import { type ErrorDetail, ValidationError } from '../errors';
import { parseAmount } from '../money';
import { matchingKey, validateTenantReference } from '../references';

/** One payout item as the request shaped it (the schema checked its fields' types; rules are checked here). */
export interface PayoutItemInput {
  readonly amount: unknown;
  readonly reference?: string | undefined;
  readonly externalId?: string | undefined;
  readonly counterparty: { readonly name: string; readonly sortCode: string; readonly accountNumber: string };
}

export interface ValidPayoutItem {
  readonly index: number;
  /** Minor units. */
  readonly amount: number;
  readonly reference: string | undefined;
  readonly externalId: string | undefined;
  readonly counterparty: PayoutItemInput['counterparty'];
}

/** The item a detail's path names (`items[12].amount` → 12); -1 for the batch's own fields. */
const itemIndexOf = (path: string): number => {
  const match = /^items\[(\d+)\]/.exec(path);
  return match === null ? -1 : Number(match[1]);
};

const detailsOf = (error: unknown): readonly ErrorDetail[] => {
  if (error instanceof ValidationError) return error.details;
  throw error;
};

/**
 * Every item's rules at once, so the tenant fixes a file in one round: each broken rule is reported on its item's
 * path (`items[3].amount`), every bad item, never only the first. `shapeDetails` are the schema's findings for items
 * whose fields were not even of the right type (those are not checked again). A duplicate externalId is reported on
 * every item after the first that repeats it. Throws one ValidationError naming them all; nothing is accepted from a
 * batch with any bad item.
 */
export const validatePayoutItems = (
  items: readonly (PayoutItemInput | undefined)[],
  currency: string,
  shapeDetails: readonly ErrorDetail[] = [],
): ValidPayoutItem[] => {
  const details: ErrorDetail[] = [...shapeDetails];
  const valid: ValidPayoutItem[] = [];
  const firstWithExternalId = new Map<string, number>();
  items.forEach((item, index) => {
    if (item === undefined) return;
    const path = `items[${index}]`;
    const before = details.length;
    let amount = 0;
    try {
      amount = parseAmount(item.amount, currency, { path: `${path}.amount` });
    } catch (error) {
      details.push(...detailsOf(error));
    }
    if (item.reference !== undefined) {
      try {
        validateTenantReference(item.reference, `${path}.reference`);
        if (matchingKey(item.reference) === '') {
          details.push({ path: `${path}.reference`, message: 'must contain at least one letter or digit, or banks cannot carry it back' });
        }
      } catch (error) {
        details.push(...detailsOf(error));
      }
    }
    if (item.externalId !== undefined) {
      const first = firstWithExternalId.get(item.externalId);
      if (first === undefined) firstWithExternalId.set(item.externalId, index);
      else details.push({ path: `${path}.externalId`, message: `repeats items[${first}].externalId; each item's externalId must be unique in the batch` });
    }
    if (details.length === before) {
      valid.push({ index, amount, reference: item.reference, externalId: item.externalId, counterparty: item.counterparty });
    }
  });
  if (details.length > 0) {
    // In item order (the sort is stable: an item's own findings keep theirs), whatever found them.
    details.sort((a, b) => itemIndexOf(a.path) - itemIndexOf(b.path));
    throw new ValidationError(`The payout has ${new Set(details.map((detail) => detail.path.replace(/^(items\[\d+\]).*$/, '$1'))).size} invalid item(s) or field(s); nothing was accepted.`, { details });
  }
  return valid;
};
