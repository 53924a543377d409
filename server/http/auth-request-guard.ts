import { DomainError } from "../domain/shared/errors";
import { findUnsafeInput } from "../domain/shared/safe-input";
import { correlationIdOf } from "../observability/correlation";
import { problemResponse } from "./problem";
import { AUTH_FORM_MAX_BODY_BYTES } from "./body-limits";
import { readLimitedBody } from "./read-limited-body";

/**
 * In front of next-auth's route (app/api/auth/[...nextauth]): what next-auth would
 * answer with its raw error string or a 500 is refused with problem+json instead
 * (issue #10). A credentials callback is a POST of the login form (a GET is a 405 with
 * Allow: POST), and no form field may carry what PostgreSQL cannot store (safe-input.ts).
 * Null when next-auth should handle the request.
 */
export async function guardAuthRequest(request: Request, segments: readonly string[]): Promise<Response | null> {
  const correlationId = correlationIdOf(request);
  const action = segments.join("/");
  if (action.startsWith("callback/credentials") && request.method !== "POST") {
    return problemResponse(
      new DomainError("METHOD_NOT_ALLOWED", "The credentials callback takes the login form as a POST; sign in at /login."),
      correlationId,
      { allow: "POST" },
    );
  }
  if (request.method !== "POST") return null;
  const body = await readLimitedBody(request.clone(), AUTH_FORM_MAX_BODY_BYTES, 0);
  if (!body.ok) {
    return problemResponse(
      new DomainError("PAYLOAD_TOO_LARGE", `Sign-in forms are limited to ${AUTH_FORM_MAX_BODY_BYTES} bytes.`, { max_bytes: AUTH_FORM_MAX_BODY_BYTES }),
      correlationId,
    );
  }
  const fields = Object.fromEntries(new URLSearchParams(body.text));
  const unsafe = findUnsafeInput(fields);
  if (!unsafe) return null;
  return problemResponse(
    new DomainError("VALIDATION_FAILED", `${unsafe.path || "The form"} ${unsafe.message}.`, {}, [{ path: unsafe.path, message: unsafe.message }]),
    correlationId,
  );
}
