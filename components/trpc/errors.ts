import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@/server/api/root";

/** What the console shows of a failed call: the server's message and its reference. */
export function describeError(error: unknown): { message: string; code: string | null; correlationId: string | null } {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<AppRouter>).data;
    return { message: error.message, code: data?.code ?? null, correlationId: data?.correlationId ?? null };
  }
  return { message: "The server could not be reached. Check your connection and try again.", code: null, correlationId: null };
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && (error as TRPCClientError<AppRouter>).data?.code === "UNAUTHORIZED";
}

/** Client errors (4xx) will not change on retry; network and server errors might. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof TRPCClientError) {
    const status = (error as TRPCClientError<AppRouter>).data?.httpStatus;
    if (status && status < 500) return false;
  }
  return failureCount < 2;
}
