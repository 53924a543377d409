"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

/**
 * Filters that live in the URL, so every view is a link that can be shared and the back
 * button works. `params` is the current query; `update({ status: "DEAD", cursor: null })`
 * sets or removes keys (null/"" removes) and replaces the URL without scrolling.
 */
export function useUrlState() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const params = useMemo(() => Object.fromEntries(searchParams.entries()) as Record<string, string>, [searchParams]);
  const update = useCallback(
    (patch: Record<string, string | number | null | undefined>, { push = false } = {}) => {
      const next = new URLSearchParams(searchParams.toString());
      for (const [key, value] of Object.entries(patch)) {
        if (value === null || value === undefined || value === "") next.delete(key);
        else next.set(key, String(value));
      }
      const query = next.toString();
      const href = query ? `${pathname}?${query}` : pathname;
      if (push) router.push(href, { scroll: false });
      else router.replace(href, { scroll: false });
    },
    [pathname, router, searchParams],
  );
  return { params, update };
}
