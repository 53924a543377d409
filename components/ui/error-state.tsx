import type { ReactNode } from "react";
import { Button } from "./button";
import { cx } from "./cx";

export interface ErrorStateProps {
  title?: ReactNode;
  message: ReactNode;
  /** shown as a reference to quote when reporting the problem */
  correlationId?: string | null;
  onRetry?: () => void;
  retrying?: boolean;
  className?: string;
}

/** A failure the user can read and, when it makes sense, retry. Announced to screen readers. */
export function ErrorState({ title = "Something went wrong", message, correlationId, onRetry, retrying, className }: ErrorStateProps) {
  return (
    <div role="alert" className={cx("rounded-lg border border-red-200 bg-red-50 px-5 py-4", className)} data-testid="error-state">
      <p className="font-semibold text-red-900">{title}</p>
      <div className="mt-1 text-sm text-red-900">{message}</div>
      {correlationId ? (
        <p className="mt-1 text-xs text-red-800">
          Reference: <code className="font-mono">{correlationId}</code>
        </p>
      ) : null}
      {onRetry ? (
        <Button variant="secondary" size="sm" className="mt-3" onClick={onRetry} disabled={retrying}>
          {retrying ? "Retrying…" : "Try again"}
        </Button>
      ) : null}
    </div>
  );
}
