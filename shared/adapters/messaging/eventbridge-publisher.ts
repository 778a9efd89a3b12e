import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type DomainEvent, EVENT_SOURCE, type EventPublisher } from '../../domain/events/domain-event';

const PUT_EVENTS_BATCH = 10;

/** Domain events on the EventBridge bus: `source` settled, `detail-type` the event type, detail `{ metadata, data }`. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += PUT_EVENTS_BATCH) {
      const chunk = events.slice(start, start + PUT_EVENTS_BATCH);
      const result = await this.client.send(
        new PutEventsCommand({
          Entries: chunk.map((event) => ({
            EventBusName: this.eventBusName,
            Source: EVENT_SOURCE,
            DetailType: event.type,
            Detail: JSON.stringify({ metadata: event.metadata, data: event.data }),
            Time: new Date(event.metadata.occurredAt),
          })),
        }),
      );
      // PutEvents reports per-entry failures with a 200; treat any as a failed publish so the caller retries.
      if ((result.FailedEntryCount ?? 0) > 0) {
        const codes = (result.Entries ?? []).filter((entry) => entry.ErrorCode !== undefined).map((entry) => entry.ErrorCode);
        throw new Error(`EventBridge rejected ${result.FailedEntryCount} of ${chunk.length} events: ${codes.join(', ')}`);
      }
    }
  }
}
