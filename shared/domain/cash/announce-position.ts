import { type DomainEvent, domainEvent, type EventPublisher } from '../events/domain-event';
import { type CashPositionStore, cashPositionView } from './cash-position';

/**
 * The `cash_position.updated` a moving write's event calls for (`metadata.movedPosition`; the moves themselves were
 * applied in that write): the position as it now is, with an id derived from the event that carried the move, so
 * the same write announced twice (a republished event, its writer and this function both) is one event. Undefined
 * for an event whose write moved nothing (and a payment executed and settled by one credit nets to nothing pending),
 * at the cost of no read.
 */
export const positionAnnouncement = async (event: DomainEvent, cash: CashPositionStore): Promise<DomainEvent | undefined> => {
  const moved = event.metadata.movedPosition;
  if (moved === undefined) return undefined;
  const tenantId = event.metadata.tenantId;
  const position = await cash.get(tenantId, moved.accountId, moved.currency);
  if (position === undefined) return undefined;
  return domainEvent('cash_position.updated', tenantId, position.asOf, cashPositionView(position), [moved.accountId, moved.currency, event.metadata.id]);
};

/** A domain event whose write moved a cash position: publish its `cash_position.updated` (one per moving write). */
export const announcePosition = async (
  event: DomainEvent,
  deps: { readonly cash: CashPositionStore; readonly events: EventPublisher },
): Promise<boolean> => {
  const announcement = await positionAnnouncement(event, deps.cash);
  if (announcement === undefined) return false;
  await deps.events.publish([announcement]);
  return true;
};
