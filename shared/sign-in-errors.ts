/**
 * The error codes a failed sign-in reports to the login form (next-auth passes them
 * through as `?error=`), and what the form says for each. Pure: the form imports it.
 */
export const SIGN_IN_ERROR = {
  /** next-auth's own code when authorize() returns null */
  INVALID: "CredentialsSignin",
  RATE_LIMITED: "RateLimited",
} as const;

export function signInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  switch (code) {
    case SIGN_IN_ERROR.INVALID:
      return "That email and password do not match an active account. Check them and try again.";
    case SIGN_IN_ERROR.RATE_LIMITED:
      return "Too many failed sign-in attempts. Sign-in is paused for 15 minutes for this account or network; try again later or ask an admin.";
    case "SessionRequired":
      return "Please sign in to continue.";
    default:
      return "Sign-in failed. Please try again.";
  }
}

/**
 * A callbackUrl is honoured only as a path on this site: no scheme, no host, no
 * protocol-relative `//` or `/\`, and never back to the login page itself.
 */
export function safeCallbackPath(raw: string | null | undefined, fallback = "/inventory"): string {
  if (typeof raw !== "string") return fallback;
  const value = raw.trim();
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  // control characters and backslashes: browsers may read them as a host separator
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || c === "\\")) return fallback;
  if (value === "/login" || value.startsWith("/login?") || value.startsWith("/login/") || value.startsWith("/api/")) {
    return fallback;
  }
  return value;
}
