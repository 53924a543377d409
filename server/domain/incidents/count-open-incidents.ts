import { getDb } from "@/server/db";
import type { Actor } from "@/server/domain/shared/actor";
import { inScope } from "@/server/domain/shared/facility-scope";

/** The open incidents the actor may see, for the navigation's badge. */
export async function countOpenIncidents(actor: Actor): Promise<{ open: number; triggered: number }> {
  const groups = await getDb().incident.groupBy({ by: ["status"], where: { ...inScope(actor), status: { not: "RESOLVED" } }, _count: { _all: true } });
  const triggered = groups.find((g) => g.status === "TRIGGERED")?._count._all ?? 0;
  const acknowledged = groups.find((g) => g.status === "ACKNOWLEDGED")?._count._all ?? 0;
  return { open: triggered + acknowledged, triggered };
}
