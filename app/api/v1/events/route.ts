import { listEventFeed } from "@/server/domain/events/list-event-feed";
import { EventsQuery } from "@/server/http/api-schemas";
import { partnerRoute } from "@/server/http/partner-route";
import { eventResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const GET = partnerRoute(
  { route: "/api/v1/events", scope: "inventory:read", rateClass: "read", query: EventsQuery },
  async ({ actor, query }) => {
    const events = await listEventFeed(actor, { after: query.after, limit: query.limit });
    const last = events.at(-1);
    return {
      status: 200,
      body: {
        data: events.map(eventResource),
        // resume from here; when the page is empty, from where you asked
        next_cursor: last?.id ?? query.after ?? null,
        has_more: events.length === query.limit,
      },
    };
  },
);
