import { FormAlert } from "@/components/ui/form";
import type { ActionFailure } from "./use-console-action";

/**
 * Where a refused server action's message belongs: at a field (zod field errors, or a
 * domain refusal naming `context.field`, e.g. a duplicate code) or above the buttons.
 */
export function errorAt(failure: ActionFailure | null, path: string): string | undefined {
  if (!failure) return undefined;
  return failure.fieldErrors?.[path]?.[0] ?? (failure.context?.field === path ? failure.message : undefined);
}

/** The refusal's message unless every part of it is already shown at one of `fields`. */
export function ActionFailureAlert({ failure, fields = [] }: { failure: ActionFailure | null; fields?: readonly string[] }) {
  if (!failure) return null;
  if (failure.code === "VALIDATION_FAILED") {
    const elsewhere = Object.entries(failure.fieldErrors ?? {}).filter(([path]) => !fields.includes(path));
    if (failure.fieldErrors && elsewhere.length === 0) return null;
    const messages = elsewhere.flatMap(([path, list]) => list.map((message) => (path ? `${path}: ${message}` : message)));
    return <FormAlert message={messages.length ? messages.join(" ") : failure.message} />;
  }
  if (typeof failure.context?.field === "string" && fields.includes(failure.context.field)) return null;
  return (
    <FormAlert
      title={failure.code === "FORBIDDEN" ? "Not allowed" : undefined}
      message={failure.message}
      reference={failure.code === "INTERNAL" && failure.correlationId ? failure.correlationId : null}
    />
  );
}
