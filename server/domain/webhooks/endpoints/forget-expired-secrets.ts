import { getDb } from "../../../db";

/** Erases rotated-out secrets whose 24 h have passed (they sign nothing any more). */
export async function forgetExpiredPreviousSecrets(now: Date = new Date()): Promise<number> {
  return getDb().$executeRaw`
    UPDATE webhook_endpoints SET previous_secret_ciphertext = NULL, previous_secret_expires_at = NULL
    WHERE previous_secret_ciphertext IS NOT NULL AND previous_secret_expires_at <= ${now}`;
}
