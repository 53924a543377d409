import fs from "node:fs";
import path from "node:path";
import type { APIResponse, Page } from "@playwright/test";

/**
 * Calling a server action the way an attacker would: by its id, straight over HTTP,
 * without the button that would normally call it. The id is read from the production
 * build's server reference manifest (the very build the e2e run serves).
 */

interface ManifestEntry {
  exportedName?: string;
  filename?: string;
  workers?: Record<string, unknown>;
}

function manifest(): Record<string, ManifestEntry> {
  const file = path.resolve(".next/server/server-reference-manifest.json");
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { node?: Record<string, ManifestEntry> };
  return parsed.node ?? {};
}

/** The action id of `exportedName` from `filename` (e.g. "server/actions/admin.ts"), and a page that loads it. */
export function serverActionId(filename: string, exportedName: string): { id: string; page: string } {
  for (const [id, entry] of Object.entries(manifest())) {
    if (entry.exportedName === exportedName && entry.filename?.endsWith(filename)) {
      // A worker is "app/(console)/admin/page": the route that bundles the action.
      const worker = Object.keys(entry.workers ?? {}).find((w) => w.endsWith("/page")) ?? "";
      const route = worker.replace(/^app/, "").replace(/\/page$/, "").replace(/\/\([^)]+\)/g, "") || "/";
      return { id, page: route };
    }
  }
  throw new Error(`No server action ${exportedName} from ${filename} in the build's manifest`);
}

/**
 * POSTs a forged call of a server action with the page's cookies (the signed-in
 * session), as React's client would encode its arguments.
 */
export async function callServerAction(page: Page, action: { id: string; page: string }, args: unknown[]): Promise<APIResponse> {
  const origin = new URL(page.url()).origin;
  return page.request.post(action.page, {
    headers: {
      "Next-Action": action.id,
      Accept: "text/x-component",
      "Content-Type": "text/plain;charset=UTF-8",
      Origin: origin,
    },
    data: JSON.stringify(args),
  });
}
