"use client";

import { useEffect } from "react";

/**
 * A safety net for a console page that renders without a session: back to the login
 * page, returning here afterwards. Pages normally redirect on the server first.
 */
export function SignedOutRedirect() {
  useEffect(() => {
    const back = window.location.pathname + window.location.search;
    window.location.replace(`/login?${new URLSearchParams({ callbackUrl: back })}`);
  }, []);
  return null;
}
