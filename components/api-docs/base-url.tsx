"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/**
 * The origin this page was served from, i.e. the API's base URL. The page itself is
 * static (built once, served to anyone), so the origin is filled in by the browser.
 */
export function BaseUrl({ fallback = "https://<your Holdfast host>" }: { fallback?: string }) {
  const origin = useSyncExternalStore(
    subscribe,
    () => window.location.origin,
    () => null,
  );
  return <>{origin ?? fallback}</>;
}
