import pino, { type Logger } from "pino";
import { logConfig } from "../config";

/**
 * JSON log lines (pino). Every line a request causes carries its correlation id: pass
 * `logger.child({ correlationId })` down, never a module-level request logger.
 * Secrets, API keys, access codes and signatures never reach a log: the redact paths
 * below are a second line of defence, not the first.
 */
const settings = logConfig();
export const logger: Logger = pino({
  level: settings.level,
  base: { service: settings.service },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: {
    paths: [
      "authorization",
      "*.authorization",
      "headers.authorization",
      "*.headers.authorization",
      "password",
      "*.password",
      "secret",
      "*.secret",
      "apiKey",
      "*.apiKey",
      "accessCode",
      "*.accessCode",
    ],
    censor: "[redacted]",
  },
});

export function requestLogger(correlationId: string, extra: Record<string, unknown> = {}): Logger {
  return logger.child({ correlationId, ...extra });
}
