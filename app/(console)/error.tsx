"use client";

import { ErrorState } from "@/components/ui/error-state";

/** An unexpected failure while rendering a console page; the shell stays usable. */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorState
      className="mx-auto mt-10 max-w-xl"
      title="This page could not be shown"
      message="Something went wrong on our side. Try again; if it keeps happening, report the reference below."
      correlationId={error.digest ?? null}
      onRetry={reset}
    />
  );
}
