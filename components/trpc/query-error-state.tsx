import type { ReactNode } from "react";
import { ErrorState } from "@/components/ui/error-state";
import { describeError } from "./errors";

/** A failed tRPC query as the console shows it: what went wrong, the reference to quote, and Try again. */
export function QueryErrorState({
  title,
  query,
  className,
}: {
  title: ReactNode;
  query: { error: unknown; refetch: () => unknown; isFetching: boolean };
  className?: string;
}) {
  const { message, correlationId } = describeError(query.error);
  return (
    <ErrorState
      title={title}
      message={message}
      correlationId={correlationId}
      onRetry={() => void query.refetch()}
      retrying={query.isFetching}
      className={className}
    />
  );
}
