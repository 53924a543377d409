import crypto from "node:crypto";
import type { IdPrefix } from "@/shared/ids";

/**
 * Public identifiers with a type prefix (evt_, ep_, msg_, rec_) whose body sorts by
 * creation time (48-bit ms timestamp + 80 random bits, Crockford base32, like ULID).
 */

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function encodeTime(ms: number, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function encodeRandom(length: number): string {
  const bytes = crypto.randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! % 32];
  return out;
}

export function ulid(now = Date.now()): string {
  return encodeTime(now, 10) + encodeRandom(16);
}


export function newId(prefix: IdPrefix, now = Date.now()): string {
  return `${prefix}_${ulid(now).toLowerCase()}`;
}

const REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; // no 0/O, 1/I

/** Booking references: BK- and six characters a person can read out on the phone. */
export function newBookingReference(): string {
  const bytes = crypto.randomBytes(6);
  let out = "BK-";
  for (const b of bytes) out += REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length];
  return out;
}
