"use server";

import { acknowledgeIncident, AcknowledgeIncidentInput } from "../domain/incidents/acknowledge-incident";
import { addIncidentNote, AddIncidentNoteInput } from "../domain/incidents/add-incident-note";
import { setIncidentEmailPreference, SetIncidentEmailPreferenceInput } from "../domain/incidents/incident-email-preference";
import { resolveIncident, ResolveIncidentInput } from "../domain/incidents/resolve-incident";
import { consoleAction } from "./console-action";

/**
 * The incident screens' mutations (docs/operations.md#alerts-and-incidents): ops leads and
 * admins acknowledge, resolve and annotate; anyone who reads incidents sets their own
 * e-mail opt-in. Each checks session, permission and input (./console-action) and calls
 * the incident services, which audit.
 */

export const acknowledgeIncidentAction = consoleAction(
  { action: "incident.acknowledge", permission: "incident.manage", input: AcknowledgeIncidentInput, target: (input) => ({ type: "incident", id: input.incidentId }) },
  ({ actor, input }) => acknowledgeIncident(input, actor),
);

export const resolveIncidentAction = consoleAction(
  { action: "incident.resolve", permission: "incident.manage", input: ResolveIncidentInput, target: (input) => ({ type: "incident", id: input.incidentId }) },
  ({ actor, input }) => resolveIncident(input, actor),
);

export const addIncidentNoteAction = consoleAction(
  { action: "incident.note", permission: "incident.manage", input: AddIncidentNoteInput, target: (input) => ({ type: "incident", id: input.incidentId }) },
  ({ actor, input }) => addIncidentNote(input, actor),
);

export const setIncidentEmailPreferenceAction = consoleAction(
  { action: "user.incident_email", permission: "incident.read", input: SetIncidentEmailPreferenceInput, target: () => ({ type: "user" }) },
  ({ actor, input }) => setIncidentEmailPreference(input, actor),
);
