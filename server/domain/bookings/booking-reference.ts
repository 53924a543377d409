import { z } from "zod";

/**
 * A booking reference as a person or a partner types it — in a URL, a search box, a
 * request path: " bk-7f3k2q " is BK-7F3K2Q. The one normalisation every transport uses
 * (partner API paths, tRPC, server actions), so a reference found in the console is
 * found on the API too (issue #10).
 */
export const BookingReference = z
  .string()
  .trim()
  .min(1, "Which booking?")
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "A booking reference is letters, digits and dashes, e.g. BK-7F3K2Q.")
  .transform((reference) => reference.toUpperCase());
