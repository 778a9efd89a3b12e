import { type DomainEvent, domainEvent, type EventPublisher } from '../events/domain-event';
import { type CashPositionStore, cashPositionView } from './cash-position';

/**
 * A domain event whose write moved a cash position (`metadata.movedPosition`; the moves themselves were applied in
 * that write): publish `cash_position.updated` with the position as it now is. One per moving write, with an id
 * derived from the event that carried the move, so a republished event announces nothing twice. Events of writes
 * that moved nothing (and a payment executed and settled by one credit nets to nothing pending) cost no read.
 */
export const announcePosition = async (
  event: DomainEvent,
  deps: { readonly cash: CashPositionStore; readonly events: EventPublisher },
): Promise<boolean> => {
  const moved = event.metadata.movedPosition;
  if (moved === undefined) return false;
  const tenantId = event.metadata.tenantId;
  const position = await deps.cash.get(tenantId, moved.accountId, moved.currency);
  if (position === undefined) return false;
  await deps.events.publish([
    domainEvent('cash_position.updated', tenantId, position.asOf, cashPositionView(position), [moved.accountId, moved.currency, event.metadata.id]),
  ]);
  return true;
};
