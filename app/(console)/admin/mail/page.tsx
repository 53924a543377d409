import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardBody } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { formatUtc } from "@/components/ui/time-format";
import { getServerCaller } from "@/server/api/server-caller";
import { requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Mail catcher" };

/** Demo mode's mail catcher (docs/operations.md#incident-notifications): the mail the app sent, kept instead of sent. */
export default async function CaughtMailPage() {
  await requirePermission("admin.manage", "/admin/mail");
  const mail = await (await getServerCaller()).incidents.caughtMail();
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/admin" className="text-indigo-800 hover:underline">
            Admin
          </Link>
        }
        title="Mail catcher"
        description="In demo mode without HOLDFAST_SMTP_URL, the mail Holdfast sends (incident notifications) is kept here instead of sent."
      />
      {mail.length === 0 ? (
        <EmptyState title="No mail yet" description="Opt in to incident e-mail on /incidents; notifications arrive here within a minute of a change." />
      ) : (
        <ol className="space-y-4">
          {mail.map((m) => (
            <li key={m.id} data-testid="caught-mail">
              <Card>
                <CardBody className="space-y-2">
                  <p className="font-medium">{m.subject}</p>
                  <p className="text-xs text-slate-500">
                    {formatUtc(m.sentAt)} · to {m.toAddresses.join(", ")} · from {m.fromAddress}
                  </p>
                  <pre className="overflow-x-auto whitespace-pre-wrap text-sm text-slate-800">{m.text}</pre>
                </CardBody>
              </Card>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
