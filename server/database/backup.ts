import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { applyMigrations, MIGRATIONS_DIR } from "./migrate";

/**
 * Logical backup and restore (docs/operations.md#backups) with PostgreSQL's own COPY, over
 * the same connection the app uses: no pg_dump needed, so it works against the embedded
 * server (which ships no client tools) and a managed one alike.
 *
 * - A backup reads every table of the public schema in ONE repeatable-read, read-only
 *   transaction — one consistent snapshot, as pg_dump takes — into a directory: one
 *   gzipped COPY file per table and `manifest.json` (format, time, server version, the
 *   migrations the database had, each table's columns and row count).
 * - A restore goes into an empty database: it applies this code's migrations (which must
 *   be exactly the backup's), empties what they seeded, copies every table back in
 *   foreign-key order in one transaction, moves every sequence past its rows, checks the
 *   row counts against the manifest, and rebases the outbox order (below). Anything
 *   short of that rolls back and says why.
 *
 * The outbox orders events by the transaction id that wrote them (docs/webhooks.md). A
 * restored database lives on a server whose transaction ids need not be above the
 * backup's, so the restore renumbers the restored events' txid to 0 (their order is kept
 * by seq) and puts the fan-out cursor at the last of them: every event written after the
 * restore is fanned out after them.
 *
 * graphile-worker's queue (its own schema) is not part of a backup: its recurring jobs come
 * back by cron when a worker starts.
 */

export const BACKUP_FORMAT = "holdfast-backup/1";

export interface BackupTable {
  name: string;
  columns: string[];
  rows: number;
  file: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  serverVersion: string;
  migrations: string[];
  tables: BackupTable[];
}

export interface BackupProgress {
  table: string;
  rows: number;
  done: number;
  of: number;
}

const MANIFEST = "manifest.json";
const MIGRATIONS_TABLE = "_prisma_migrations";

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function userTables(client: pg.Client): Promise<{ name: string; columns: string[] }[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(`
    SELECT c.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '${MIGRATIONS_TABLE}'
    GROUP BY c.relname ORDER BY c.relname`);
  return rows;
}

async function appliedMigrations(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ migration_name: string }>(
    `SELECT migration_name FROM "${MIGRATIONS_TABLE}" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return rows.map((r) => r.migration_name);
}

/** Writes a consistent backup of `url`'s database into `dir` (created; must not hold a backup already). */
export async function backupDatabase(url: string, dir: string, onProgress?: (p: BackupProgress) => void): Promise<BackupManifest> {
  if (fs.existsSync(path.join(dir, MANIFEST))) throw new Error(`${dir} already holds a backup; choose a new directory.`);
  fs.mkdirSync(dir, { recursive: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const serverVersion = (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
    const migrations = await appliedMigrations(client);
    if (!migrations.length) throw new Error("This database has no Holdfast migrations: nothing to back up.");
    const tables = await userTables(client);
    const written: BackupTable[] = [];
    for (const [index, table] of tables.entries()) {
      const file = `${table.name}.copy.gz`;
      const source = client.query(copyTo(`COPY ${ident(table.name)} (${table.columns.map(ident).join(", ")}) TO STDOUT`));
      await pipeline(source, zlib.createGzip(), fs.createWriteStream(path.join(dir, file)));
      written.push({ ...table, rows: source.rowCount, file });
      onProgress?.({ table: table.name, rows: source.rowCount, done: index + 1, of: tables.length });
    }
    await client.query("COMMIT");
    const manifest: BackupManifest = { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), serverVersion, migrations, tables: written };
    // the manifest last: a directory without one is an unfinished backup
    fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
    return manifest;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) throw new Error(`${dir} holds no finished backup (no ${MANIFEST}).`);
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new Error(`${file} is not a Holdfast backup (${BACKUP_FORMAT}).`);
  for (const table of manifest.tables) {
    if (!fs.existsSync(path.join(dir, table.file))) throw new Error(`The backup in ${dir} is missing ${table.file}.`);
  }
  return manifest;
}

/** The migrations this code carries, by name. */
function migrationsOnDisk(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(MIGRATIONS_DIR, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
}

/** Whether the database holds anything of an operator's (it may hold the empty schema). */
async function holdsData(client: pg.Client): Promise<boolean> {
  for (const table of ["facilities", "partners", "users", "bookings", "events"]) {
    const { rows } = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [`public.${table}`]);
    if (rows[0]!.present && (await client.query(`SELECT 1 FROM ${ident(table)} LIMIT 1`)).rows.length) return true;
  }
  return false;
}

/** Tables in an order where every table comes after those its foreign keys point to. */
async function foreignKeyOrder(client: pg.Client, names: string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(`
    SELECT DISTINCT c.relname AS child, p.relname AS parent
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.contype = 'f' AND n.nspname = 'public' AND c.relname <> p.relname`);
  const parents = new Map(names.map((n) => [n, new Set<string>()]));
  for (const r of rows) parents.get(r.child)?.add(r.parent);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < names.length) {
    const ready = names.filter((n) => !placed.has(n) && [...parents.get(n)!].every((p) => placed.has(p) || !parents.has(p)));
    if (!ready.length) throw new Error("The tables' foreign keys form a cycle; this restore cannot order them.");
    for (const n of ready) {
      ordered.push(n);
      placed.add(n);
    }
  }
  return ordered;
}

export interface RestoreResult {
  tables: number;
  rows: number;
}

/** Restores the backup in `dir` into `url`'s database, which must be empty. */
export async function restoreDatabase(url: string, dir: string, onProgress?: (p: BackupProgress) => void): Promise<RestoreResult> {
  const manifest = readManifest(dir);
  const onDisk = migrationsOnDisk();
  const unknownHere = manifest.migrations.filter((m) => !onDisk.includes(m));
  const lacking = onDisk.filter((m) => !manifest.migrations.includes(m));
  if (unknownHere.length || lacking.length) {
    throw new Error(
      `The backup was made by another Holdfast version (${unknownHere.length ? `migrations unknown here: ${unknownHere.join(", ")}` : `migrations it lacks: ${lacking.join(", ")}`}). Restore with the version that made it, then upgrade.`,
    );
  }
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  try {
    if (await holdsData(probe)) {
      throw new Error("The target database is not empty. Restore into a new, empty database (createdb), and point DATABASE_URL at it.");
    }
  } finally {
    await probe.end();
  }

  await applyMigrations(url);
  const target = new pg.Client({ connectionString: url });
  await target.connect();
  try {
    const byName = new Map(manifest.tables.map((t) => [t.name, t]));
    const here = await userTables(target);
    const unknown = manifest.tables.filter((t) => !here.some((h) => h.name === t.name));
    if (unknown.length) throw new Error(`The backup has tables this schema lacks: ${unknown.map((t) => t.name).join(", ")}.`);
    const order = (await foreignKeyOrder(target, here.map((t) => t.name))).filter((n) => byName.has(n));

    await target.query("BEGIN");
    // what the migrations seeded (the fan-out cursor's row, …) gives way to the backup's rows
    const seeded = [];
    for (const t of here) {
      const { rows } = await target.query(`SELECT 1 FROM ${ident(t.name)} LIMIT 1`);
      if (rows.length) seeded.push(t.name);
    }
    if (seeded.length) await target.query(`TRUNCATE ${seeded.map(ident).join(", ")} CASCADE`);
    let total = 0;
    for (const [index, name] of order.entries()) {
      const table = byName.get(name)!;
      const sink = target.query(copyFrom(`COPY ${ident(name)} (${table.columns.map(ident).join(", ")}) FROM STDIN`));
      await pipeline(fs.createReadStream(path.join(dir, table.file)), zlib.createGunzip(), sink);
      if (sink.rowCount !== table.rows) throw new Error(`${name}: ${sink.rowCount} rows restored, the backup says ${table.rows}.`);
      total += table.rows;
      onProgress?.({ table: name, rows: table.rows, done: index + 1, of: order.length });
    }
    // every sequence past the rows it numbered
    const { rows: sequences } = await target.query<{ seq: string; tbl: string; col: string }>(`
      SELECT s.relname AS seq, t.relname AS tbl, a.attname AS col
      FROM pg_class s
      JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
      JOIN pg_class t ON t.oid = d.refobjid
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
      JOIN pg_namespace n ON n.oid = s.relnamespace
      WHERE s.relkind = 'S' AND n.nspname = 'public'`);
    for (const s of sequences) {
      await target.query(
        `SELECT setval(${target.escapeLiteral(ident(s.seq))}, coalesce((SELECT max(${ident(s.col)}) FROM ${ident(s.tbl)}), 1), (SELECT max(${ident(s.col)}) FROM ${ident(s.tbl)}) IS NOT NULL)`,
      );
    }
    // the outbox order continues after the restored events, whatever this server's txids
    await target.query(`UPDATE events SET txid = 0 WHERE txid <> 0`);
    await target.query(`UPDATE webhook_fanout_cursor SET last_txid = 0, updated_at = now()`);
    await target.query("COMMIT");
    return { tables: order.length, rows: total };
  } catch (error) {
    await target.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await target.end();
  }
}
