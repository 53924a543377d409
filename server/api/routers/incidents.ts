import { z } from "zod";
import { countOpenIncidents } from "../../domain/incidents/count-open-incidents";
import { getIncidentEmailPreference } from "../../domain/incidents/incident-email-preference";
import { getIncident, GetIncidentInput } from "../../domain/incidents/get-incident";
import { listCaughtMail } from "../../domain/incidents/list-caught-mail";
import { listIncidents, ListIncidentsInput } from "../../domain/incidents/list-incidents";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/** The incident screens' reads (mutations are server actions: server/actions/incidents.ts). */
export const incidentsRouter = createTRPCRouter({
  list: permissionProcedure("incident.read")
    .input(ListIncidentsInput)
    .query(({ ctx, input }) => listIncidents(ctx.actor, input)),

  get: permissionProcedure("incident.read")
    .input(GetIncidentInput)
    .query(({ ctx, input }) => getIncident(ctx.actor, input)),

  openCount: permissionProcedure("incident.read").query(({ ctx }) => countOpenIncidents(ctx.actor)),

  /** The signed-in user's own e-mail opt-in (null: none). */
  myEmailPreference: permissionProcedure("incident.read").query(({ ctx }) => getIncidentEmailPreference(ctx.actor)),

  caughtMail: permissionProcedure("admin.manage")
    .input(z.object({ limit: z.number().int().min(1).max(200).default(100) }).strict().optional())
    .query(({ ctx, input }) => listCaughtMail(ctx.actor, input?.limit)),
});
