import Link from "next/link";

/**
 * Above every console screen for ops leads and admins while incidents wait for someone to
 * acknowledge them (docs/operations.md#alerts-and-incidents), so the first screen they see
 * says so.
 */
export function IncidentsBanner({ count }: { count: number }) {
  return (
    <div role="status" data-testid="incidents-banner" className="mb-5 flex flex-wrap items-center justify-between gap-3 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900">
      <span>
        <strong className="font-semibold">
          {count} {count === 1 ? "incident needs" : "incidents need"} attention:
        </strong>{" "}
        triggered and not yet acknowledged.
      </span>
      <Link href="/incidents?status=TRIGGERED" className="rounded-md font-medium text-red-900 underline underline-offset-2 hover:text-red-700 focus-visible:outline-2 focus-visible:outline-red-700">
        Review incidents
      </Link>
    </div>
  );
}
