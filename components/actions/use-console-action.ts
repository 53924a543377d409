"use client";

import { useCallback, useState, useTransition } from "react";
import type { ActionFailure, ActionResult } from "@/server/actions/console-action";

export type { ActionFailure, ActionResult };

/** What the form shows when the call itself failed (network, or the server crashed outright). */
const UNREACHABLE: ActionFailure = {
  ok: false,
  code: "INTERNAL",
  message: "The server could not be reached. Check your connection and try again.",
  retryable: true,
  correlationId: "",
};

export interface UseConsoleAction<TInput, TData> {
  /** runs the action; resolves with its result (never throws) */
  run: (input: TInput) => Promise<ActionResult<TData>>;
  pending: boolean;
  /** the last refusal, until the next run or reset() */
  failure: ActionFailure | null;
  /** the first message for a field ("" for the input as a whole) */
  fieldError: (path: string) => string | undefined;
  reset: () => void;
}

/**
 * Calls a console server action (server/actions) from a client component: pending
 * state, the refusal to show, and — when the session has ended — back to the login
 * page. `onSuccess` is where callers invalidate the tRPC queries the action changed.
 */
export function useConsoleAction<TInput, TData>(
  action: (input: TInput) => Promise<ActionResult<TData>>,
  options: { onSuccess?: (data: TData, input: TInput) => void | Promise<void> } = {},
): UseConsoleAction<TInput, TData> {
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const { onSuccess } = options;

  const run = useCallback(
    (input: TInput) =>
      new Promise<ActionResult<TData>>((resolve) => {
        startTransition(async () => {
          let result: ActionResult<TData>;
          try {
            result = await action(input);
          } catch {
            result = UNREACHABLE;
          }
          if (result.ok) {
            setFailure(null);
            await onSuccess?.(result.data, input);
          } else {
            setFailure(result);
            if (result.code === "UNAUTHENTICATED") {
              const back = window.location.pathname + window.location.search;
              window.location.assign(`/login?${new URLSearchParams({ callbackUrl: back })}`);
            }
          }
          resolve(result);
        });
      }),
    [action, onSuccess],
  );

  const fieldError = useCallback((path: string) => failure?.fieldErrors?.[path]?.[0], [failure]);
  const reset = useCallback(() => setFailure(null), []);
  return { run, pending, failure, fieldError, reset };
}

/** A refusal as the one line a form shows above its buttons (field errors are shown at their fields). */
export function failureSummary(failure: ActionFailure): string {
  if (failure.code === "VALIDATION_FAILED") {
    return failure.fieldErrors?.[""]?.[0] ?? failure.message;
  }
  return failure.message;
}
