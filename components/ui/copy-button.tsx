"use client";

import { useEffect, useState } from "react";
import { buttonClassName, type ButtonSize } from "./button";
import { cx } from "./cx";
import { focusRing } from "./focus";

async function copyText(value: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    // No clipboard API (an insecure origin) or permission refused: the old way.
    const area = document.createElement("textarea");
    area.value = value;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    return copied;
  }
}

export interface CopyButtonProps {
  value: string;
  label?: string;
  size?: ButtonSize;
  /** "on-dark" for code blocks */
  appearance?: "default" | "on-dark";
  className?: string;
}

const ON_DARK = cx(
  "inline-flex h-6 items-center rounded px-2 text-xs font-medium text-slate-200 ring-1 ring-slate-600 hover:bg-slate-700 hover:text-white",
  focusRing,
);

/** Copies `value` and says so for two seconds (announced to screen readers). */
export function CopyButton({ value, label = "Copy", size = "sm", appearance = "default", className }: CopyButtonProps) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      className={appearance === "on-dark" ? cx(ON_DARK, className) : buttonClassName("secondary", size, className)}
      onClick={async () => setState((await copyText(value)) ? "copied" : "failed")}
    >
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : label}</span>
    </button>
  );
}
