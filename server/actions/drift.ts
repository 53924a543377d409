"use server";

import { z } from "zod";
import { applyCorrection, ApplyCorrectionInput } from "../domain/reconciliation/apply-correction";
import { CHECKS } from "@/shared/discrepancy-kinds";
import { resolveDiscrepancy, ResolveDiscrepancyInput } from "../domain/reconciliation/resolve-discrepancy";
import { startReconciliation } from "../domain/reconciliation/run-reconciliation";
import { consoleAction } from "./console-action";

/**
 * The drift screens' mutations (docs/domain.md#reconciliation-and-corrections,
 * docs/domain.md#roles-and-permissions: running reconciliation and applying corrections
 * are the ops lead's and the admin's). Each checks session, permission and
 * input itself (./console-action) and calls the reconciliation services, which audit.
 */

const StartReconciliationInput = z
  .object({ checks: z.array(z.enum(CHECKS)).max(CHECKS.length).optional() })
  .strict();

export const startReconciliationAction = consoleAction(
  { action: "reconciliation.run", permission: "reconciliation.run", input: StartReconciliationInput, target: () => ({ type: "reconciliation_run" }) },
  ({ actor, input }) => startReconciliation(input, actor),
);

export const applyCorrectionAction = consoleAction(
  {
    action: "discrepancy.correct",
    permission: "reconciliation.run",
    input: ApplyCorrectionInput,
    target: (input) => ({ type: "discrepancy", id: input.discrepancyId }),
  },
  ({ actor, input }) => applyCorrection(input, actor),
);

export const resolveDiscrepancyAction = consoleAction(
  {
    action: "discrepancy.resolve",
    permission: "reconciliation.run",
    input: ResolveDiscrepancyInput,
    target: (input) => ({ type: "discrepancy", id: input.discrepancyId }),
  },
  ({ actor, input }) => resolveDiscrepancy(input, actor),
);
