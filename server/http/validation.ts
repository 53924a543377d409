import { DomainError } from "../domain/shared/errors";

export function validationError(message: string, path: string): DomainError {
  return new DomainError("VALIDATION_FAILED", message, {}, [{ path, message }]);
}
