import type { WebhookSender, WebhookResponse } from "./http-sender";
import { classifyError, classifyStatus, describeError, type FailureClass } from "./retry-policy";
import { redactSignatureHeader, signingKeys, signWebhook, type EndpointSecrets } from "./signing";

/**
 * One signed request and what it came to, as every attempt log keeps it: sign with the
 * secrets in force (docs/webhooks.md#verifying-signatures), POST through a WebhookSender
 * (the destination rule at every connection, one deadline), classify the answer
 * (docs/webhooks.md#responding-retries-and-back-off) and shorten the signature for storage.
 * Partner deliveries (attempt-delivery.ts), test pings and operational webhooks
 * (server/domain/operational-webhooks) all send through here; each writes the result to
 * its own log.
 */

export const USER_AGENT = "Holdfast-Webhooks/1.0 (+https://www.standardwebhooks.com)";

export interface SignedMessage {
  url: string;
  secrets: EndpointSecrets;
  /** the webhook-id: the same on every attempt, so a consumer dedupes retries */
  id: string;
  body: string;
  startedAt: Date;
  timeoutMs: number;
}

export interface SignedAttempt {
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  success: boolean;
  /** null when no HTTP answer came back */
  httpStatus: number | null;
  retryAfter: string | null;
  /** the first 2 KB of the answer */
  responseBody: string | null;
  failureClass: FailureClass | null;
  errorMessage: string | null;
  /** what was sent, the signature shortened (enough to tell signatures apart, not to replay) */
  requestHeaders: Record<string, string>;
  /** which secret versions signed it */
  signedWith: string[];
  /** the sender's error when no answer came back (for callers that look deeper) */
  error?: unknown;
}

export async function sendSignedWebhook(sender: WebhookSender, message: SignedMessage): Promise<SignedAttempt> {
  const { headers: signed, signedWith } = signWebhook(signingKeys(message.secrets, message.startedAt), {
    id: message.id,
    timestamp: message.startedAt,
    body: message.body,
  });
  const headers = { "content-type": "application/json", "user-agent": USER_AGENT, ...signed };
  const response: WebhookResponse = await sender.send({ url: message.url, body: message.body, headers, timeoutMs: message.timeoutMs });
  const failureClass = response.status === null ? classifyError(response.error) : classifyStatus(response.status);
  const success = response.status !== null && failureClass === null;
  return {
    startedAt: message.startedAt,
    finishedAt: new Date(message.startedAt.getTime() + response.durationMs),
    durationMs: response.durationMs,
    success,
    httpStatus: response.status,
    retryAfter: response.retryAfter,
    responseBody: response.body,
    failureClass,
    errorMessage: response.status === null ? describeError(response.error) : success ? null : `HTTP ${response.status}`,
    requestHeaders: { ...headers, "webhook-signature": redactSignatureHeader(headers["webhook-signature"]) },
    signedWith,
    error: response.error,
  };
}
