import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiReference } from "../../components/api-docs/api-reference";
import { listOperations, type OpenApiDocument } from "../../components/api-docs/openapi-model";
import { pageExamples } from "../../components/api-docs/page-examples";
import { seedDemo } from "../../prisma/seed";
import { getDb } from "../../server/db";
import pino from "pino";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { startWorker, type RunningWorker } from "../../server/worker/run-worker";
import { installWorkerSchema } from "../../server/worker/worker-schema";
import { useOwnDatabase } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";

/**
 * Every example in README.md ("Try the API") and on /api-docs, run as a reader would
 * paste it — with sh and curl — against the app on the demo data, on the day the test
 * runs. Each curl must get a 2xx (curl --fail-with-body under sh -e), and what the
 * examples do must have happened.
 */

let server: RouteServer;
let worker: RunningWorker | undefined;
let dropDatabase: () => Promise<void>;
let bin: string;

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("examples");
  await installWorkerSchema(process.env.DATABASE_URL!);
  await seedDemo(getDb(), { history: false });
  server = await startRouteServer();
  // curl as the reader has it, plus: a non-2xx fails the script, and each answer is logged to stderr
  bin = fs.mkdtempSync(path.join(os.tmpdir(), "holdfast-examples-"));
  const realCurl = execFileSync("sh", ["-c", "command -v curl"], { encoding: "utf8" }).trim();
  fs.writeFileSync(
    path.join(bin, "curl"),
    `#!/bin/sh\nexec ${realCurl} --fail-with-body -w '%{stderr}HTTP %{http_code} %{method} %{url_effective}\\n' "$@"\n`,
    { mode: 0o755 },
  );
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await server?.close();
  await closeRateLimitPool(); // its pool points at this file's database
  await dropDatabase?.();
  if (bin) fs.rmSync(bin, { recursive: true, force: true });
});

/** Async: the app answering these requests runs in this process, so it must not be blocked. */
function runShell(script: string): Promise<{ status: number | null; stdout: string; stderr: string; answers: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-e", "-c", script], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, LANG: "C" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => {
      const answers = stderr.split("\n").filter((line) => line.startsWith("HTTP "));
      resolve({ status, stdout, stderr, answers });
    });
  });
}

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe("README.md's Try the API", () => {
  it("holds a unit today", { timeout: 120_000 }, async () => {
    const readme = fs.readFileSync("README.md", "utf8");
    const block = /Try the API[^\n]*\n(?:[^\n]+\n)*?\n?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, "README.md has a Try the API sh block").toBeTruthy();
    const host = new URL(server.url).host;
    const script = block!.replaceAll("localhost:3000", host);

    const run = await runShell(script);
    expect(run.status, `${run.stderr}\n${run.stdout}`).toBe(0);
    expect(run.answers.map((a) => a.split(" ").slice(0, 3).join(" "))).toEqual(["HTTP 200 GET", "HTTP 201 POST"]);

    const booking = await getDb().booking.findFirstOrThrow({
      where: { partnerBookingReference: "MKT-1", partner: { code: "MARKETPLACE" } },
      orderBy: { createdAt: "desc" },
    });
    expect(booking.status).toBe("TENTATIVE");
    // a week ahead by the shell's clock (its time zone may differ from UTC by a day)
    const moveIn = booking.moveInDate.toISOString().slice(0, 10);
    expect(moveIn >= isoDay(6) && moveIn <= isoDay(8), moveIn).toBe(true);
  });
});

describe("the /api-docs examples", () => {
  it("run top to bottom in one shell, each a 2xx, and do what they say", { timeout: 180_000 }, async () => {
    const served = await fetch(`${server.url}/api/v1/openapi.json`);
    const document = (await served.json()) as OpenApiDocument;
    const examples = pageExamples(new Headers({ host: new URL(server.url).host }), true);
    const html = renderToStaticMarkup(createElement(ApiReference, { document, examples }));

    const blocks = [...html.matchAll(/<figcaption[^>]*>(.*?)<\/figcaption><pre[^>]*><code>([\s\S]*?)<\/code><\/pre>/g)]
      .map(([, caption, code]) => ({ caption: caption!.replace(/<[^>]+>.*$/, ""), code: decodeHtml(code!) }))
      .filter((b) => b.caption === "Quick start" || b.caption === "Example");
    const operations = listOperations(document).flatMap((g) => g.operations);
    expect(blocks).toHaveLength(1 + operations.length);
    expect(blocks[0]!.code).toContain(`export HOLDFAST_URL=${server.url}`);

    // The imports' examples need the worker that `npm start` runs: it plans what they upload.
    worker = await startWorker({ databaseUrl: process.env.DATABASE_URL!, concurrency: 2, log: pino({ level: "silent" }) });
    // Each block marked on stderr, so every block is seen to make its own request(s).
    const run = await runShell(blocks.map((b, i) => `echo "BLOCK ${i}" >&2\n${b.code}`).join("\n"));
    expect(run.status, `${run.stderr}\n${run.stdout.slice(-2000)}`).toBe(0);
    const perBlock = run.stderr.split(/^BLOCK \d+$/m).slice(1).map((part) => part.split("\n").filter((line) => line.startsWith("HTTP ")));
    expect(perBlock).toHaveLength(blocks.length);
    for (const [i, answers] of perBlock.entries()) expect(answers.length, blocks[i]!.code).toBeGreaterThan(0);
    const answered = run.answers.map((a) => {
      const [, status, method, url] = a.split(" ");
      return `${status} ${method} ${new URL(url!).pathname}`;
    });
    for (const a of answered) expect(a, answered.join("\n")).toMatch(/^2\d\d /);

    // the hold was confirmed, moved in, its gate code read, moved out; the cancel after it is a no-op
    const reference = /^2\d\d POST \/api\/v1\/bookings\/(BK-[A-Z0-9]+)\/cancel$/m.exec(answered.join("\n"))?.[1];
    expect(reference, answered.join("\n")).toBeTruthy();
    const booking = await getDb().booking.findUniqueOrThrow({ where: { reference } });
    expect(booking.status).toBe("MOVED_OUT");
    expect(answered).toEqual(
      expect.arrayContaining([
        `201 POST /api/v1/bookings`,
        `200 POST /api/v1/bookings/${reference}/confirm`,
        `200 POST /api/v1/bookings/${reference}/fulfil`,
        `200 GET /api/v1/bookings/${reference}/access`,
        `200 POST /api/v1/bookings/${reference}/move-out`,
      ]),
    );
    // the endpoint was made, rotated, read, changed and deleted
    const endpointId = /^204 DELETE \/api\/v1\/webhook-endpoints\/(ep_[0-9a-z]+)$/m.exec(answered.join("\n"))?.[1];
    expect(endpointId, answered.join("\n")).toBeTruthy();
    expect(answered).toEqual(
      expect.arrayContaining([`200 POST /api/v1/webhook-endpoints/${endpointId}/rotate-secret`, `200 PATCH /api/v1/webhook-endpoints/${endpointId}`]),
    );
    // a dry run was uploaded, read, applied once planned (its units exist), and another cancelled
    const [applied, cancelled] = ["apply", "cancel"].map(
      (action) => new RegExp(`^2\\d\\d POST /api/v1/imports/(imp_[0-9a-z]+)/${action}$`, "m").exec(answered.join("\n"))?.[1],
    );
    expect(applied, answered.join("\n")).toBeTruthy();
    expect(answered).toEqual(expect.arrayContaining([`202 POST /api/v1/imports`, `200 GET /api/v1/imports/${applied}`, `202 POST /api/v1/imports/${applied}/apply`]));
    expect(cancelled).not.toBe(applied);
    expect((await getDb().catalogueImport.findUniqueOrThrow({ where: { id: cancelled } })).status).toBe("CANCELLED");
    const deadline = Date.now() + 30_000;
    while ((await getDb().catalogueImport.findUniqueOrThrow({ where: { id: applied } })).status !== "COMPLETED" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await getDb().catalogueImport.findUniqueOrThrow({ where: { id: applied } })).status).toBe("COMPLETED");
    const added = await getDb().unit.findMany({ where: { code: { in: ["C-101", "C-102"] }, facility: { code: "LON-01" } }, select: { code: true, status: true } });
    expect(added.sort((a, b) => a.code.localeCompare(b.code))).toEqual([
      { code: "C-101", status: "AVAILABLE" },
      { code: "C-102", status: "AVAILABLE" },
    ]);
    const gone = await fetch(`${server.url}/api/v1/webhook-endpoints/${endpointId}`, { headers: { authorization: "Bearer hf_demo_marketplace" } });
    expect(gone.status).toBe(404);
  });
});

function decodeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
