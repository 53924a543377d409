import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import { MIGRATIONS_DIR } from "./migrate";

/**
 * Prisma's schema engine as Wasm (the native one cannot be downloaded offline), for the
 * two things only it can do: turn a schema change into migration SQL, and prove that the
 * migrations folder and schema.prisma describe the same database.
 * Used by scripts only; the app never loads it.
 */

const require_ = createRequire(import.meta.url);

type Engine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

let lastPanic = "";
// The Wasm build reports Rust panics through this global.
(globalThis as unknown as { PRISMA_WASM_PANIC_REGISTRY: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
  set_message: (message: string) => {
    lastPanic = message;
  },
};

async function loadEngine(adapterFactory: unknown, schemaPath: string, schema: string): Promise<Engine> {
  const pkgDir = path.dirname(require_.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const bindings = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as Record<string, unknown> & {
    __wbg_set_wasm: (exports: WebAssembly.Exports) => void;
    SchemaEngine: { new: (o: unknown, log: (s: string) => void, adapter: unknown) => Promise<Engine> };
  };
  const bytes = fs.readFileSync(path.join(pkgDir, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, {
    "./schema_engine_bg.js": bindings as WebAssembly.ModuleImports,
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bindings.SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(adapterFactory as never),
  );
}

type ScriptAdapter = {
  executeScript(script: string): Promise<void>;
  underlyingDriver(): pg.Pool;
  onError(error: unknown): never;
  performIO(query: unknown): Promise<{ fields: { dataTypeID: number }[] }>;
  queryRaw(query: object): Promise<{ columnTypes: number[] }>;
};

// adapter-pg splits scripts on every ";", which breaks function bodies ($$ … $$) in
// hand-written migration SQL; PostgreSQL's simple query protocol runs a whole script.
function wholeScripts<T>(adapter: T): T {
  const a = adapter as unknown as ScriptAdapter;
  a.executeScript = async (script: string) => {
    try {
      await a.underlyingDriver().query(script);
    } catch (error) {
      a.onError(error);
    }
  };
  // "char" (OID 18, in pg_catalog) has no mapping in adapter-pg, so describing a live
  // database fails ("Column type 'char' could not be deserialized"): let the driver read
  // it as text, then tell the engine it is a character column, as it expects.
  const charColumns = new WeakMap<object, number[]>();
  const performIO = a.performIO.bind(a);
  a.performIO = async (query: unknown) => {
    const result = await performIO(query);
    const found: number[] = [];
    result.fields.forEach((field, index) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        found.push(index);
      }
    });
    if (found.length && query && typeof query === "object") charColumns.set(query, found);
    return result;
  };
  const queryRaw = a.queryRaw.bind(a);
  a.queryRaw = async (query: object) => {
    const result = await queryRaw(query);
    for (const index of charColumns.get(query) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  return adapter;
}

function adapterFor(url: string) {
  const u = new URL(url);
  // adapter-pg's shadow database keeps the main database when given a connection
  // string, so pass the parts.
  const config = {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
  };
  const options = {};
  const factory = new PrismaPg(config, options);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => wholeScripts(await connect());
  // adapter-pg drops the shadow database while its own pool still holds a connection
  // to it; create and drop it here instead (WITH (FORCE) ends leftover sessions).
  factory.connectToShadowDb = async () => {
    const main = await connect();
    const database = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
    await main.underlyingDriver().query(`CREATE DATABASE "${database}"`);
    const shadow = wholeScripts(await new PrismaPg({ ...config, database }, options).connect());
    const disposeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await disposeShadow();
      await shadow.underlyingDriver().end().catch(() => undefined);
      await main.underlyingDriver().query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await main.dispose();
    };
    return shadow;
  };
  return factory;
}

function migrationsTarget(dir: string) {
  const dirs = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(dir, "migration_lock.toml");
  return {
    tag: "migrations",
    baseDir: dir,
    lockfile: {
      path: "migration_lock.toml",
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

/**
 * SQL that takes a database built from the migrations folder to what schema.prisma says.
 * Empty when they agree. Needs a server on which it may create a scratch (shadow) database.
 */
export async function diffMigrationsToSchema(
  serverUrl: string,
  schemaPath = path.resolve("prisma/schema.prisma"),
  dir = MIGRATIONS_DIR,
): Promise<string> {
  const schema = fs.readFileSync(schemaPath, "utf8");
  const engine = await loadEngine(adapterFor(serverUrl), schemaPath, schema);
  try {
    const from = fs.existsSync(dir) ? migrationsTarget(dir) : { tag: "empty" };
    const result = await engine
      .diff({
      from,
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
      })
      .catch((error: unknown) => {
        throw lastPanic ? new Error(`Prisma's schema engine failed: ${lastPanic}`, { cause: error }) : error;
      });
    const sql = (result.stdout ?? "").trim();
    return /^-- This is an empty migration\.?$/.test(sql) ? "" : sql;
  } finally {
    engine.free();
  }
}

/** Drops shadow databases a killed diff may have left behind. */
export async function dropStaleShadowDatabases(serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "select datname from pg_database where datname like 'prisma_migrate_shadow_db_%'",
    );
    for (const row of rows) await client.query(`drop database if exists "${row.datname}"`);
  } finally {
    await client.end();
  }
}
