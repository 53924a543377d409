import type { Logger } from "pino";
import type { z } from "zod";
import { internalErrorMessage } from "../api/errors";
import { actorForUser } from "../domain/shared/actor";
import { can, type Permission } from "@/shared/permissions";
import type { RequestMeta } from "../auth/request-meta";
import { recordRefusal } from "../domain/audit/record-refusal";
import { isAudited } from "../domain/shared/authorize";
import type { Actor } from "../domain/shared/actor";
import { fromDatabaseError } from "../domain/shared/database-errors";
import { DomainError, ERROR_CODES, type ErrorCode, type FieldError } from "../domain/shared/errors";
import { findUnsafeInput } from "../domain/shared/safe-input";
import { parseOrRefuse, validationFailed } from "../domain/shared/validation";
import type { SessionUser } from "../domain/users/load-session-user";
import { newCorrelationId } from "../observability/correlation";
import { requestLogger } from "../observability/logger";

/**
 * Every console mutation is a Next.js server action, and a server action is a public
 * endpoint: anyone can forge the POST that calls it. So each action checks, itself and
 * in this order, the session (re-read from the database), the permission (a refusal is
 * audited as DENIED), and its zod input (a refusal changes and stores nothing); then it
 * calls the same domain service the other transports call, which audits what it did.
 * A refusal by the service (outside the user's facilities, a business rule) is audited
 * here, through the one refusal writer (../domain/audit/record-refusal), against the
 * definition's `target`.
 *
 *   export const revokeApiKeyAction = consoleAction(
 *     { action: "api_key.revoke", permission: "admin.manage", input: RevokeApiKeyInput },
 *     ({ actor, input }) => revokeApiKey(input, actor),
 *   );
 *
 * Results are plain serialisable objects ({ ok: true, data } or { ok: false, code, … });
 * nothing is thrown at the client.
 */

/** Who is calling and from where: the session user as the database has them now. */
export interface ActionRequest {
  /** null when signed out, disabled or deleted */
  user: SessionUser | null;
  meta: RequestMeta;
}

export type ActionRequestSource = () => Promise<ActionRequest>;

/** Field path ("facilityIds", "customer.email"; "" for the input as a whole) → messages. */
export type FieldErrors = Record<string, string[]>;

export interface ActionSuccess<T> {
  ok: true;
  data: T;
}

export interface ActionFailure {
  ok: false;
  /** the codes of docs/partner-api.md#error-codes: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED, NOT_FOUND, CONFLICT, INTERNAL, … */
  code: ErrorCode;
  message: string;
  /** with VALIDATION_FAILED: what is wrong with which field */
  fieldErrors?: FieldErrors;
  /** a domain refusal's machine-readable context (e.g. { field: "code" }) */
  context?: Record<string, unknown>;
  retryable: boolean;
  /** the reference to quote; the same id is on the audit entry and the log lines */
  correlationId: string;
}

export type ActionResult<T> = ActionSuccess<T> | ActionFailure;

/** What an action is about, for a DENIED audit entry and the log. */
export interface ActionTarget {
  type: string;
  id?: string | null;
  /** puts a refused attempt in that facility's audit trail */
  facilityId?: string | null;
}

export interface ConsoleActionDefinition<S extends z.ZodType> {
  /** the audit action, the same name the domain service audits success under, e.g. "api_key.create" */
  action: string;
  permission: Permission;
  /** validates the untrusted input; use the domain's own schema (docs/conventions.md#validation) */
  input: S;
  target?: (input: z.output<S>) => ActionTarget;
}

export interface ConsoleActionContext<TInput> {
  actor: Actor;
  user: SessionUser;
  input: TInput;
  log: Logger;
}

export type ConsoleActionHandler<S extends z.ZodType, T> = (context: ConsoleActionContext<z.output<S>>) => Promise<T>;

/**
 * The callable server action. `withRequest` runs it for a given caller instead of the
 * current request's session (tests; never exported as an action of its own).
 */
export interface ConsoleAction<TInput, T> {
  (input: TInput): Promise<ActionResult<T>>;
  withRequest(request: ActionRequest | ActionRequestSource): (input: unknown) => Promise<ActionResult<T>>;
}

/** The current request: loaded lazily so this module stays importable outside Next.js. */
const currentRequest: ActionRequestSource = async () => (await import("./current-request")).currentActionRequest();

export function consoleAction<S extends z.ZodType, T>(
  definition: ConsoleActionDefinition<S>,
  handler: ConsoleActionHandler<S, T>,
): ConsoleAction<z.input<S>, T> {
  const run = (source: ActionRequestSource) => (input: unknown) => executeConsoleAction(definition, handler, source, input);
  const action = run(currentRequest) as ConsoleAction<z.input<S>, T>;
  action.withRequest = (request) => run(typeof request === "function" ? request : async () => request);
  return action;
}

export const UNAUTHENTICATED_MESSAGE = "Your session has ended. Sign in again to continue.";
export const FORBIDDEN_MESSAGE = "You don't have permission to do that.";

async function executeConsoleAction<S extends z.ZodType, T>(
  definition: ConsoleActionDefinition<S>,
  handler: ConsoleActionHandler<S, T>,
  source: ActionRequestSource,
  rawInput: unknown,
): Promise<ActionResult<T>> {
  let request: ActionRequest;
  try {
    request = await source();
  } catch (error) {
    // The session could not even be read (e.g. the database is down).
    const correlationId = newCorrelationId();
    requestLogger(correlationId, { action: definition.action }).error({ err: error }, "server action could not read its request");
    return failure("INTERNAL", internalErrorMessage(correlationId), correlationId);
  }

  const { user, meta } = request;
  const log = requestLogger(meta.correlationId, { action: definition.action });
  if (!user) return failure("UNAUTHENTICATED", UNAUTHENTICATED_MESSAGE, meta.correlationId);

  const actor = actorForUser(user, meta);
  if (!can(user, definition.permission)) {
    const target = targetOf(definition, rawInput);
    await recordRefusal(actor, { action: definition.action, code: "FORBIDDEN", permission: definition.permission, target });
    log.warn({ userId: user.id, permission: definition.permission, target }, "server action refused: missing permission");
    return failure("FORBIDDEN", FORBIDDEN_MESSAGE, meta.correlationId);
  }

  let input: z.output<S>;
  try {
    // What PostgreSQL cannot store is refused before any schema or service sees it (safe-input.ts).
    const unsafe = findUnsafeInput(rawInput);
    if (unsafe) throw validationFailed([{ path: unsafe.path, message: `This ${unsafe.message}.` }]);
    input = parseOrRefuse(definition.input, rawInput);
  } catch (refusal) {
    return failureFrom(refusal, meta.correlationId, log, undefined);
  }

  try {
    return { ok: true, data: await handler({ actor, user, input, log }) };
  } catch (thrown) {
    const target = definition.target?.(input);
    // Database contention is the retryable INVENTORY_HELD_BY_OTHER_TXN, as on every transport.
    const error = fromDatabaseError(thrown) ?? thrown;
    // A refusal from authorize() was audited where it was raised.
    if (error instanceof DomainError && !isAudited(error)) {
      await recordRefusal(actor, { action: definition.action, code: error.code, detail: error.message, target, metadata: refusalContext(error) });
    }
    return failureFrom(error, meta.correlationId, log, target);
  }
}

/** The target of a refused call, when its input is well-formed enough to say. */
function targetOf<S extends z.ZodType>(definition: ConsoleActionDefinition<S>, rawInput: unknown): ActionTarget | undefined {
  if (!definition.target) return undefined;
  const parsed = definition.input.safeParse(rawInput);
  return parsed.success ? definition.target(parsed.data) : undefined;
}

/** A refusal's machine-readable context (current_status, allowed_actions…), for the audit reader. */
function refusalContext(error: DomainError): Record<string, unknown> | undefined {
  return Object.keys(error.context).length ? { context: error.context } : undefined;
}

function failure(code: ErrorCode, message: string, correlationId: string, extra: Partial<ActionFailure> = {}): ActionFailure {
  return { ok: false, code, message, retryable: ERROR_CODES[code].retryable, correlationId, ...extra };
}

function fieldErrorsByPath(issues: readonly FieldError[]): FieldErrors {
  // A Map, not `out[path] ??= []`: a path named __proto__ or constructor must stay a key.
  const out = new Map<string, string[]>();
  for (const { path, message } of issues) out.set(path, [...(out.get(path) ?? []), message]);
  return Object.fromEntries(out);
}

/**
 * A domain refusal keeps its code, message and context; anything unexpected is logged
 * with its stack and answered with a generic message carrying the correlation id.
 */
function failureFrom(error: unknown, correlationId: string, log: Logger, target: ActionTarget | undefined): ActionFailure {
  if (error instanceof DomainError && error.code !== "INTERNAL") {
    return failure(error.code, error.message, correlationId, {
      ...(error.fieldErrors?.length ? { fieldErrors: fieldErrorsByPath(error.fieldErrors) } : {}),
      ...(Object.keys(error.context).length ? { context: { ...error.context } } : {}),
    });
  }
  log.error({ err: error, target }, "unhandled error in server action");
  return failure("INTERNAL", internalErrorMessage(correlationId), correlationId);
}
