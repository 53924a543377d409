"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { useConsoleAction } from "@/components/actions/use-console-action";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { FormDialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/form";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { regenerateAccessCodeAction, revealAccessCodeAction } from "@/server/actions/bookings";

export interface BookingAccessProps {
  reference: string;
  timeZone: string;
  /** access.reveal at this booking's facility (shared/permissions.ts); the server checks again */
  canReveal: boolean;
  onChanged: (message: string) => void | Promise<void>;
}

const BLOCK_LABEL: Record<string, string> = {
  OVERLOCK: "Overlocked",
  LOCK_FAULT: "Lock fault",
  CLEANING: "Cleaning",
  DAMAGE: "Damage",
  PEST: "Pest control",
  OTHER: "Blocked",
};

/**
 * The booking's gate access (docs/domain.md#gate-codes): whether a code is live or
 * suspended, the unit's active block, and — for the roles allowed — reveal (each press is
 * counted and audited; the code stays on this screen only until hidden or the page is
 * left) and regenerate.
 */
export function BookingAccess({ reference, timeZone, canReveal, onChanged }: BookingAccessProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const accessQuery = useQuery(trpc.bookings.access.queryOptions({ reference }, { refetchInterval: 15_000 }));
  const [code, setCode] = useState<string | null>(null);
  const [regenerating, setRegenerating] = useState(false);
  const reveal = useConsoleAction(revealAccessCodeAction, { onSuccess: (data) => setCode(data.accessCode) });
  const access = accessQuery.data;
  if (!access || (!access.grant && !access.unitBlock && access.revoked.length === 0)) return null;
  const { grant, unitBlock } = access;

  return (
    <Card aria-labelledby="access-heading" data-testid="booking-access">
      <CardHeader
        id="access-heading"
        title="Gate access"
        description="The tenant's gate code. Every reveal is audited and counted against an hourly limit."
        actions={
          canReveal && grant ? (
            <>
              {code ? (
                <Button variant="ghost" onClick={() => setCode(null)} data-testid="hide-access-code">
                  Hide code
                </Button>
              ) : (
                <Button onClick={() => !reveal.pending && void reveal.run({ reference })} disabled={reveal.pending} data-testid="reveal-access-code">
                  {reveal.pending ? "Revealing…" : "Reveal code"}
                </Button>
              )}
              <Button variant="danger" onClick={() => setRegenerating(true)} data-testid="regenerate-access-code">
                Regenerate code
              </Button>
            </>
          ) : null
        }
      />
      <dl className="grid grid-cols-2 gap-x-6 gap-y-4 px-4 py-4 md:grid-cols-3">
        <div>
          <dt className="text-xs font-medium text-slate-600">Access</dt>
          <dd className="mt-0.5 text-sm text-slate-900" data-testid="access-status">
            {grant ? (
              grant.status === "SUSPENDED" ? (
                <Badge tone="danger">Suspended</Badge>
              ) : (
                <Badge tone="success">Active</Badge>
              )
            ) : (
              <Badge tone="neutral">Revoked</Badge>
            )}
            {grant ? (
              <span className="ml-2 text-xs text-slate-600">
                issued <ZonedTime value={grant.issuedAt} timeZone={timeZone} />
              </span>
            ) : null}
          </dd>
        </div>
        {code ? (
          <div>
            <dt className="text-xs font-medium text-slate-600">Gate code</dt>
            <dd className="mt-0.5 font-mono text-2xl tracking-widest text-slate-900" data-testid="access-code">
              {code}
            </dd>
          </div>
        ) : null}
        {unitBlock ? (
          <div data-testid="unit-block">
            <dt className="text-xs font-medium text-slate-600">Unit</dt>
            <dd className="mt-0.5 text-sm text-slate-900">
              <Badge tone="warning">{BLOCK_LABEL[unitBlock.reason] ?? unitBlock.reason}</Badge>
              <span className="ml-2 text-xs text-slate-600">
                {unitBlock.endsAt ? (
                  <>
                    until <ZonedTime value={unitBlock.endsAt} timeZone={timeZone} />
                  </>
                ) : (
                  "until released"
                )}
              </span>
            </dd>
          </div>
        ) : null}
      </dl>
      {reveal.failure ? (
        <div className="px-4 pb-4">
          <ActionFailureAlert failure={reveal.failure} />
        </div>
      ) : null}
      {regenerating ? (
        <RegenerateDialog
          reference={reference}
          onClose={() => setRegenerating(false)}
          onDone={async () => {
            setRegenerating(false);
            setCode(null);
            await queryClient.invalidateQueries({ queryKey: trpc.bookings.access.queryKey({ reference }) });
            await onChanged(`A new gate code was issued for ${reference}; the old one no longer opens the gate.`);
          }}
        />
      ) : null}
    </Card>
  );
}

function RegenerateDialog({ reference, onClose, onDone }: { reference: string; onClose: () => void; onDone: () => void | Promise<void> }) {
  const id = useId();
  const [reason, setReason] = useState("");
  const action = useConsoleAction(regenerateAccessCodeAction, { onSuccess: onDone });
  return (
    <FormDialog
      onClose={onClose}
      title={`Regenerate the gate code of ${reference}?`}
      description="The current code stops working at once and a new one is issued; the partner is told by webhook (without the code)."
      onSubmit={() => {
        if (!action.pending) void action.run({ reference, reason });
      }}
      submitLabel="Regenerate code"
      tone="danger"
      cancelLabel="Keep code"
      pendingLabel="Regenerating…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={["reason"]} />}
      data-testid="regenerate-dialog"
    >
      <TextField
        id={`${id}-reason`}
        label="Reason"
        hint="Shown in the timeline and the audit log."
        error={errorAt(action.failure, "reason")}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        maxLength={500}
        required
        data-autofocus
        autoComplete="off"
      />
    </FormDialog>
  );
}
