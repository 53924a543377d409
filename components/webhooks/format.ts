import type { BadgeTone } from "@/components/ui/badge";

/** How the webhooks screens word and colour things. Pure, so it is unit tested. */

const DELIVERY_STATUS_LABELS: Record<string, { label: string; tone: BadgeTone; hint: string }> = {
  PENDING: { label: "Pending", tone: "info", hint: "Not attempted yet, or waiting for its endpoint" },
  RETRYING: { label: "Retrying", tone: "warning", hint: "Failed at least once; the next retry is scheduled" },
  SUCCEEDED: { label: "Delivered", tone: "success", hint: "The endpoint answered 2xx" },
  DEAD: { label: "Dead", tone: "danger", hint: "Every retry failed: dead-lettered, replay it by hand" },
};

export function deliveryStatusLabel(status: string) {
  return DELIVERY_STATUS_LABELS[status] ?? { label: status, tone: "neutral" as BadgeTone, hint: "" };
}

export const TRIGGER_LABELS: Record<string, string> = {
  SCHEDULED: "Scheduled",
  RETRY: "Retry",
  MANUAL_REPLAY: "Replay",
  BULK_REPLAY: "Bulk replay",
  TEST: "Test ping",
};

export const FAILURE_CLASS_LABELS: Record<string, string> = {
  TIMEOUT: "Timed out",
  CONNECT: "Could not connect",
  TLS: "TLS error",
  HTTP_4XX: "HTTP 4xx",
  HTTP_5XX: "HTTP 5xx",
};

/** An HTTP status as the log shows it: "200", "—" for no answer. */
export function formatHttpStatus(status: number | null | undefined): string {
  return status === null || status === undefined ? "—" : String(status);
}

export function httpStatusTone(status: number | null | undefined): BadgeTone {
  if (status === null || status === undefined) return "neutral";
  if (status >= 200 && status < 300) return "success";
  if (status === 429 || (status >= 300 && status < 500)) return "warning";
  return "danger";
}

/** 0.9734 → "97.3 %", null → "—". */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return "—";
  const percent = rate * 100;
  return `${percent === 100 || percent === 0 ? percent.toFixed(0) : percent.toFixed(1)} %`;
}

export function rateTone(rate: number | null | undefined): BadgeTone {
  if (rate === null || rate === undefined) return "neutral";
  if (rate >= 0.99) return "success";
  if (rate >= 0.9) return "warning";
  return "danger";
}

/** A lag or age in words: "45 s", "12 min", "3 h 05 min", "2 d 4 h". */
export function formatDuration(totalSeconds: number | null | undefined): string {
  if (totalSeconds === null || totalSeconds === undefined || !Number.isFinite(totalSeconds)) return "—";
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  return n.toLocaleString("en-GB");
}

/** A URL shortened for a table cell: host and path, the query string elided. */
export function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}${parsed.search ? "?…" : ""}`;
  } catch {
    return url;
  }
}

/** The event payload, pretty-printed for reading. */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? "null";
  } catch {
    return String(value);
  }
}
