// bench/scale (console pages) — the time to first byte of every console page, signed in,
// against the scale database (issue #12; goal p95 ≤ 300 ms). Starts the built console the
// way `npm run start:web` does (scripts/start-web.ts, `next start`), signs in through
// next-auth's credentials endpoint as an admin and as a site manager (the bench's users get
// a password for the run), then asks each page `runs` times with the session cookie.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import pg from "pg";
import { hashPassword } from "../../server/auth/password";
import { percentile } from "../lib";

const PASSWORD = "bench-scale-password";
export const TTFB_GOAL_MS = 300;

interface Timing {
  status: number;
  ttfbMs: number;
  totalMs: number;
  bytes: number;
  location?: string;
}

function request(base: string, path: string, options: { method?: string; cookie?: string; body?: string; contentType?: string } = {}): Promise<Timing & { headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      new URL(path, base),
      {
        method: options.method ?? "GET",
        headers: {
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...(options.body ? { "content-type": options.contentType ?? "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(options.body) } : {}),
          accept: "text/html,application/json",
        },
      },
      (res) => {
        let ttfbMs = -1;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => {
          if (ttfbMs < 0) ttfbMs = performance.now() - started;
          chunks.push(chunk);
        });
        res.on("end", () => {
          const totalMs = performance.now() - started;
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            ttfbMs: ttfbMs < 0 ? totalMs : ttfbMs,
            totalMs,
            bytes: body.length,
            location: res.headers.location,
            headers: res.headers,
            text: body.toString("utf8"),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

/** The cookie header for the Set-Cookie values of a response, merged into `jar`. */
function keepCookies(jar: Map<string, string>, headers: http.IncomingHttpHeaders): void {
  for (const line of headers["set-cookie"] ?? []) {
    const [pair] = line.split(";");
    const at = pair!.indexOf("=");
    jar.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

/** Signs in through next-auth's credentials callback, as the login form does; returns the cookie header. */
async function signIn(base: string, email: string): Promise<string> {
  const jar = new Map<string, string>();
  const csrf = await request(base, "/api/auth/csrf");
  keepCookies(jar, csrf.headers);
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  const body = new URLSearchParams({ csrfToken, email, password: PASSWORD, callbackUrl: `${base}/inventory`, json: "true" }).toString();
  const res = await request(base, "/api/auth/callback/credentials", { method: "POST", body, cookie: cookieHeader(jar) });
  keepCookies(jar, res.headers);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in as ${email} failed (HTTP ${res.status}): ${res.text.slice(0, 200)}`);
  return cookieHeader(jar);
}

async function waitForHealth(base: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the console stopped (exit ${child.exitCode}) before it answered`);
    try {
      // /api/health says 503 without a worker (the bench runs none): the login page is the web server's answer
      const res = await request(base, "/login");
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the console did not answer ${base}/login within ${timeoutMs / 1000} s`);
}

export interface PageResult {
  page: string;
  as: string;
  ttfbP50: number;
  ttfbP95: number;
  totalP50: number;
  bytes: number;
}

/**
 * Starts the console on PORT (default 3480) against `databaseUrl`, signs in, and prints
 * the p50/p95 time to first byte (and to the last byte) of each console page.
 */
export async function measureConsolePages(databaseUrl: string, runs: number, log: (line: string) => void): Promise<PageResult[]> {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("No build found: run `npm run build` first (the pages are measured on the production build).");
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const hash = await hashPassword(PASSWORD);
  await db.query(`UPDATE users SET password_hash = $1 WHERE email IN ('admin@holdfast.test', 'manager0@holdfast.test')`, [hash]);
  const sample = (await db.query<{ reference: string; customer_name: string; facility_code: string; unit_code: string }>(`
    SELECT b.reference, b.customer_name, f.code AS facility_code, u.code AS unit_code
    FROM bookings b TABLESAMPLE SYSTEM (1) JOIN facilities f ON f.id = b.facility_id JOIN units u ON u.id = b.unit_id LIMIT 1`)).rows[0]!;
  const managerFacility = (await db.query<{ code: string }>(`
    SELECT f.code FROM users u JOIN user_facilities uf ON uf.user_id = u.id JOIN facilities f ON f.id = uf.facility_id WHERE u.email = 'manager0@holdfast.test' LIMIT 1`)).rows[0]!.code;
  const incident = (await db.query<{ id: string }>(`SELECT id FROM incidents ORDER BY opened_at DESC LIMIT 1`).catch(() => ({ rows: [] as { id: string }[] }))).rows[0];
  await db.end();

  const port = Number(process.env.PORT ?? 3480);
  const base = `http://localhost:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start-web.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, HOLDFAST_DEMO: "1", PORT: String(port), NEXTAUTH_URL: base, LOG_LEVEL: "warn", HOLDFAST_WORKER_METRICS_PORT: "0" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitForHealth(base, child);
    const admin = await signIn(base, "admin@holdfast.test");
    const manager = await signIn(base, "manager0@holdfast.test");
    const q = encodeURIComponent(sample.customer_name);
    const pages: { path: string; as: "admin" | "site manager" }[] = [
      { path: "/", as: "admin" },
      { path: "/inventory", as: "admin" },
      { path: `/inventory/${sample.facility_code}`, as: "admin" },
      { path: `/inventory/${sample.facility_code}?status=AVAILABLE&type=T1`, as: "admin" },
      { path: "/bookings", as: "admin" },
      { path: `/bookings?q=${q}`, as: "admin" },
      { path: `/bookings?q=${sample.unit_code}`, as: "admin" },
      { path: `/bookings/${sample.reference}`, as: "admin" },
      { path: "/webhooks", as: "admin" },
      { path: "/webhooks?status=DEAD", as: "admin" },
      { path: "/audit", as: "admin" },
      { path: "/audit?result=DENIED", as: "admin" },
      { path: "/kpis", as: "admin" },
      { path: "/api-logs", as: "admin" },
      { path: "/incidents", as: "admin" },
      ...(incident ? [{ path: `/incidents/${incident.id}`, as: "admin" as const }] : []),
      { path: "/drift", as: "admin" },
      { path: "/catalogue", as: "admin" },
      { path: `/catalogue?facility=${sample.facility_code}&status=AVAILABLE,RETIRED`, as: "admin" },
      { path: "/admin", as: "admin" },
      { path: "/inventory", as: "site manager" },
      { path: `/inventory/${managerFacility}`, as: "site manager" },
      { path: "/bookings", as: "site manager" },
      { path: "/webhooks?status=DEAD", as: "site manager" },
      { path: "/audit", as: "site manager" },
    ];
    log(`\nconsole pages (next start on :${port}), ${runs} requests each after 2 warm-up, signed in; goal TTFB p95 ≤ ${TTFB_GOAL_MS} ms:`);
    log(`${"page".padEnd(46)} ${"as".padEnd(12)} ${"TTFB p50".padStart(9)} ${"p95".padStart(9)} ${"full p50".padStart(9)} ${"KB".padStart(6)}`);
    const results: PageResult[] = [];
    let misses = 0;
    for (const page of pages) {
      const cookie = page.as === "admin" ? admin : manager;
      for (let i = 0; i < 2; i++) await request(base, page.path, { cookie });
      const timings: Timing[] = [];
      for (let i = 0; i < runs; i++) timings.push(await request(base, page.path, { cookie }));
      const bad = timings.find((t) => t.status !== 200 && !(page.path === "/" && t.status === 307));
      if (bad) throw new Error(`${page.path} as ${page.as} answered HTTP ${bad.status}${bad.location ? ` → ${bad.location}` : ""}`);
      const ttfb = timings.map((t) => t.ttfbMs).sort((a, b) => a - b);
      const total = timings.map((t) => t.totalMs).sort((a, b) => a - b);
      const result: PageResult = {
        page: page.path,
        as: page.as,
        ttfbP50: percentile(ttfb, 50),
        ttfbP95: percentile(ttfb, 95),
        totalP50: percentile(total, 50),
        bytes: timings[0]!.bytes,
      };
      results.push(result);
      const ok = result.ttfbP95 <= TTFB_GOAL_MS;
      if (!ok) misses++;
      const shown = page.path.length > 45 ? `${page.path.slice(0, 44)}…` : page.path;
      log(
        `${shown.padEnd(46)} ${page.as.padEnd(12)} ${result.ttfbP50.toFixed(0).padStart(6)} ms ${result.ttfbP95.toFixed(0).padStart(6)} ms ${result.totalP50.toFixed(0).padStart(6)} ms ${(result.bytes / 1024).toFixed(0).padStart(6)}   ${ok ? "ok" : "MISS"}`,
      );
    }
    log(`\n${pages.length - misses} of ${pages.length} pages within the TTFB goal`);
    return results;
  } finally {
    child.kill("SIGTERM");
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
