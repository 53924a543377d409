import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

/** What just happened, above the list it happened to; announced politely. */
export function SuccessNotice({ children, onDismiss }: { children: ReactNode; onDismiss: () => void }) {
  return (
    <div
      role="status"
      className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-2.5 text-sm text-emerald-900"
    >
      <div className="flex flex-wrap items-center">{children}</div>
      <Button size="sm" variant="ghost" onClick={onDismiss}>
        Dismiss
      </Button>
    </div>
  );
}
