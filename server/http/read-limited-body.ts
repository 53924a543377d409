/**
 * Reads a request body as UTF-8 text, stopping as soon as it passes `maxBytes`: a sender
 * cannot make us buffer more than the limit (and one chunk). A body that is too large
 * comes back as the start of it (`prefix`, up to `keepBytes`) for the log; one whose
 * Content-Length already says it is too large is read only that far. For the inbound
 * webhook routes, the partner API (partner-route.ts) and the sign-in form
 * (auth-request-guard.ts): the one way a request body is read.
 */
export type LimitedBody = { ok: true; text: string } | { ok: false; prefix: string };

export async function readLimitedBody(request: Request, maxBytes: number, keepBytes = 2048): Promise<LimitedBody> {
  const declaredTooLarge = Number(request.headers.get("content-length") ?? 0) > maxBytes;
  if (!request.body) return declaredTooLarge ? { ok: false, prefix: "" } : { ok: true, text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    chunks.push(value);
    if (size > maxBytes || (declaredTooLarge && size >= keepBytes)) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, prefix: Buffer.concat(chunks).subarray(0, keepBytes).toString("utf8") };
    }
  }
  if (declaredTooLarge) return { ok: false, prefix: Buffer.concat(chunks).subarray(0, keepBytes).toString("utf8") };
  return { ok: true, text: Buffer.concat(chunks).toString("utf8") };
}
