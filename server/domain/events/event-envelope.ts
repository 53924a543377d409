import type { FeedEvent } from "./list-event-feed";

/**
 * The event envelope of docs/webhooks.md#what-is-sent: the event feed's items and every
 * webhook's body are this one shape, so a consumer handles both with the same code.
 */
export interface EventEnvelope {
  id: string;
  type: string;
  schema_version: number;
  created_at: string;
  correlation_id: string | null;
  aggregate_version: number;
  data: unknown;
}

export function eventEnvelope(e: FeedEvent): EventEnvelope {
  return {
    id: e.id,
    type: e.type,
    schema_version: e.schemaVersion,
    created_at: e.createdAt.toISOString(),
    correlation_id: e.correlationId,
    aggregate_version: e.aggregateVersion,
    data: e.data,
  };
}
