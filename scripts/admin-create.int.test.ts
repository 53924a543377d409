import { spawn } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useOwnDatabase } from "../test/factories";
import { ensureDatabaseExists } from "../server/database/embedded";
import { getDb } from "../server/db";
import { authenticateUser } from "../server/domain/users/authenticate-user";

/**
 * Issue #13 item 1: `npm run admin:create` (scripts/admin-create.ts), run as the operator
 * runs it, a child process, against a real database: it creates an admin who can sign in,
 * audited as the system actor; every refusal is one line on stderr, a non-zero exit, and
 * changes nothing (docs/operations.md#going-live).
 */

const CLI = path.resolve("scripts/admin-create.ts");
const PASSWORD = "correct horse battery staple";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function adminCreate(args: string[], options: { stdin?: string; databaseUrl?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        HOLDFAST_DEMO: "0",
        DATABASE_URL: options.databaseUrl ?? process.env.DATABASE_URL,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

/**
 * The command at a terminal: util-linux's `script` gives it a pseudo-terminal, and each
 * answer is typed once its prompt has appeared. Returns everything the terminal showed.
 */
function adminCreateAtTerminal(args: string[], answers: string[]): Promise<{ code: number | null; screen: string }> {
  const quote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`;
  const command = [process.execPath, "--import", "tsx", CLI, ...args].map(quote).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      env: { PATH: process.env.PATH, NODE_ENV: "production", HOLDFAST_DEMO: "0", DATABASE_URL: process.env.DATABASE_URL, TERM: "dumb" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let screen = "";
    let prompts = 0;
    const onOutput = (chunk: Buffer) => {
      screen += chunk.toString();
      const seen = screen.match(/Password( again)?: /g)?.length ?? 0;
      while (prompts < seen && prompts < answers.length) child.stdin.write(`${answers[prompts++]}\r`);
    };
    child.stdout.on("data", onOutput);
    child.stderr.on("data", onOutput);
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, screen }));
  });
}

/** A refusal as the operator sees it: exit code 1 and one line, no stack. */
function refusal(run: Run): string {
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 1, stdout: "" });
  const lines = run.stderr.split("\n").filter((line) => line.trim());
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^✖ /);
  return lines[0]!;
}

async function snapshot() {
  const db = getDb();
  return { users: await db.user.count(), audit: await db.auditEntry.count() };
}

let dropDatabase: () => Promise<void>;
let unmigratedUrl: string;
let serverUrl: string;

beforeAll(async () => {
  serverUrl = process.env.DATABASE_URL!;
  dropDatabase = await useOwnDatabase("admin_create");
  // a database that exists and answers, but was never migrated
  const name = `holdfast_unmigrated_${process.pid}_${crypto.randomBytes(3).toString("hex")}`;
  await ensureDatabaseExists(serverUrl, name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  unmigratedUrl = url.toString();
});

afterAll(async () => {
  await dropDatabase();
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`drop database if exists "${new URL(unmigratedUrl).pathname.slice(1)}" with (force)`);
  await client.end();
});

describe("npm run admin:create", () => {
  it("creates an active admin who can sign in, audited as the system actor", { timeout: 180_000 }, async () => {
    const run = await adminCreate(["--email", "First.Admin@Example.com", "--name", "First Admin", "--password-stdin"], { stdin: `${PASSWORD}\n` });

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.stdout).toContain("Created the admin first.admin@example.com");
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "first.admin@example.com" } });
    expect(user).toMatchObject({ name: "First Admin", role: "ADMIN", active: true });
    expect(user.passwordHash).toMatch(/^scrypt\$/);

    const outcome = await authenticateUser({ email: "first.admin@example.com", password: PASSWORD, ip: null, userAgent: "vitest", correlationId: "cor_admin_create_test" });
    expect(outcome).toEqual({ ok: true, user: { id: user.id, email: "first.admin@example.com", name: "First Admin", role: "ADMIN" } });

    const audit = await getDb().auditEntry.findMany({ where: { action: "user.create", targetId: user.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "SYSTEM", actorId: "admin:create", actorLabel: "system:admin:create", result: "SUCCESS", targetType: "user" });
    expect(audit[0]!.metadata).toMatchObject({ email: "first.admin@example.com", role: "ADMIN" });
    expect(JSON.stringify(audit[0], (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(PASSWORD);
  });

  it("refuses, in one line and with nothing changed, a bad e-mail, a taken e-mail, a weak password and a missing terminal", { timeout: 240_000 }, async () => {
    const before = await snapshot();
    const taken = await adminCreate(["--email", "FIRST.ADMIN@example.com", "--name", "Again", "--password-stdin"], { stdin: `${PASSWORD}\n` });
    const [badEmail, weak, noTerminal, unknownOption] = await Promise.all([
      adminCreate(["--email", "not-an-email", "--name", "Nobody", "--password-stdin"], { stdin: `${PASSWORD}\n` }),
      adminCreate(["--email", "weak@example.com", "--name", "Weak", "--password-stdin"], { stdin: "short\n" }),
      // no --password-stdin and no terminal: refuses rather than wait
      adminCreate(["--email", "noterm@example.com", "--name", "No Terminal"]),
      adminCreate(["--email", "opt@example.com", "--name", "Opt", "--role", "SUPPORT"]),
    ]);

    expect(refusal(taken)).toContain("A user with email first.admin@example.com exists already.");
    expect(refusal(badEmail)).toContain("email: Invalid email address");
    expect(refusal(weak)).toContain("password: Passwords need at least 12 characters.");
    expect(refusal(noTerminal)).toContain("--password-stdin");
    expect(refusal(unknownOption)).toContain("--role");
    expect(await snapshot()).toEqual(before);
    expect(await getDb().user.findMany({ where: { email: { in: ["not-an-email", "weak@example.com", "noterm@example.com", "opt@example.com"] } } })).toEqual([]);
  });

  it("at a terminal asks twice and echoes nothing; two typings that differ are refused", { timeout: 180_000 }, async () => {
    const [typed, differ] = await Promise.all([
      adminCreateAtTerminal(["--email", "typed@example.com", "--name", "Typed"], ["typed-passphrase-4711", "typed-passphrase-4711"]),
      adminCreateAtTerminal(["--email", "differ@example.com", "--name", "Differ"], ["differ-passphrase-0001", "differ-passphrase-0002"]),
    ]);

    expect(typed.code, typed.screen).toBe(0);
    expect(typed.screen).toMatch(/Password: [\s\S]*Password again: [\s\S]*Created the admin typed@example.com/);
    expect(typed.screen).not.toContain("typed-passphrase");
    const outcome = await authenticateUser({ email: "typed@example.com", password: "typed-passphrase-4711", ip: null, userAgent: "vitest", correlationId: "cor_admin_tty_test" });
    expect(outcome).toMatchObject({ ok: true, user: { role: "ADMIN" } });

    expect(differ.code, differ.screen).toBe(1);
    expect(differ.screen).toContain("The two passwords differ; nothing was changed.");
    expect(differ.screen).not.toContain("differ-passphrase");
    expect(await getDb().user.findUnique({ where: { email: "differ@example.com" } })).toBeNull();
  });

  it("--reset-password gives an existing admin a new password, ends their sessions and audits it; refusals change nothing", { timeout: 240_000 }, async () => {
    const email = "first.admin@example.com";
    const NEW_PASSWORD = "a brand new passphrase";
    const signIn = (password: string) => authenticateUser({ email, password, ip: null, userAgent: "vitest", correlationId: "cor_admin_reset_test" });
    const before = await snapshot();
    const [unknown, weak, withName] = await Promise.all([
      adminCreate(["--email", "nobody@example.com", "--reset-password", "--password-stdin"], { stdin: `${NEW_PASSWORD}\n` }),
      adminCreate(["--email", email, "--reset-password", "--password-stdin"], { stdin: "short\n" }),
      adminCreate(["--email", email, "--name", "X", "--reset-password", "--password-stdin"], { stdin: `${NEW_PASSWORD}\n` }),
    ]);
    expect(refusal(unknown)).toContain("No user has the email nobody@example.com.");
    expect(refusal(weak)).toContain("password: Passwords need at least 12 characters.");
    expect(refusal(withName)).toContain("leave out --name");
    expect(await snapshot()).toEqual(before);
    expect((await signIn(PASSWORD)).ok).toBe(true);

    const run = await adminCreate(["--email", email, "--reset-password", "--password-stdin"], { stdin: `${NEW_PASSWORD}\n` });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.stdout).toContain(`New password set for ${email}`);

    expect(await signIn(PASSWORD)).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });
    expect(await signIn(NEW_PASSWORD)).toMatchObject({ ok: true, user: { email, role: "ADMIN" } });
    const user = await getDb().user.findUniqueOrThrow({ where: { email } });
    expect(user.sessionsValidAfter).toBeInstanceOf(Date);
    const audit = await getDb().auditEntry.findMany({ where: { action: "user.password_reset", targetId: user.id } });
    expect(audit.map((a) => ({ actor: a.actorLabel, result: a.result, metadata: a.metadata }))).toEqual([
      { actor: "system:admin:create", result: "SUCCESS", metadata: { email, role: "ADMIN" } },
    ]);
  });

  it("refuses an unreachable database and a database without migrations, and creates nothing there", { timeout: 180_000 }, async () => {
    const closed = new URL(serverUrl);
    closed.port = "1";
    const [unreachable, unmigrated] = await Promise.all([
      adminCreate(["--email", "a@example.com", "--name", "A", "--password-stdin"], { stdin: `${PASSWORD}\n`, databaseUrl: closed.toString() }),
      adminCreate(["--email", "b@example.com", "--name", "B", "--password-stdin"], { stdin: `${PASSWORD}\n`, databaseUrl: unmigratedUrl }),
    ]);

    expect(refusal(unreachable)).toMatch(/Cannot connect to PostgreSQL at 127\.0\.0\.1:1\//);
    expect(refusal(unmigrated)).toMatch(/missing \d+ migration\(s\).*npm run db:migrate/);
    const client = new pg.Client({ connectionString: unmigratedUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>("select count(*)::int as n from pg_tables where schemaname = 'public'");
      expect(rows[0]!.n).toBe(0);
    } finally {
      await client.end();
    }
  });
});
