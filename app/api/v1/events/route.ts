import { listEventFeed } from "@/server/domain/events/list-event-feed";
import { EventsQuery } from "@/server/http/api-schemas";
import { partnerRoute } from "@/server/http/partner-route";
import { eventPage, eventResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const GET = partnerRoute(
  { route: "/api/v1/events", scope: "inventory:read", rateClass: "read", query: EventsQuery },
  async ({ actor, query }) => {
    const events = await listEventFeed(actor, { after: query.after, limit: query.limit });
    const last = events.at(-1);
    return {
      status: 200,
      // resume from here; when the page is empty, from where you asked
      body: eventPage(events.map(eventResource), last?.id ?? query.after ?? null, events.length === query.limit),
    };
  },
);
