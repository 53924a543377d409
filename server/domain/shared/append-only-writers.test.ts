import { describe, expect, it } from "vitest";
import { linesMatching, sourceFiles } from "../../../test/source-files";

/**
 * One writer per append-only table (docs/conventions.md#transactions-events-and-audit):
 * `audit_entries` is written only by shared/audit.ts and `events` only by
 * shared/events.ts. Everything else (the dispatcher included) calls them. Tests and
 * benchmarks set up their own rows and are not scanned.
 */

const TABLES = [
  {
    table: "audit_entries",
    writer: "server/domain/shared/audit.ts",
    writes: [/\bINSERT\s+INTO\s+"?audit_entries"?/i, /\.auditEntry\s*\.\s*(create|createMany|createManyAndReturn|upsert)\b/],
  },
  {
    table: "events",
    writer: "server/domain/shared/events.ts",
    writes: [/\bINSERT\s+INTO\s+"?events"?(?=[\s(]|$)/i, /\.event\s*\.\s*(create|createMany|createManyAndReturn|upsert)\b/],
  },
] as const;

const writersOutside = (files: Parameters<typeof linesMatching>[0], table: (typeof TABLES)[number]) =>
  linesMatching(files, table.writes, [table.writer]);

const files = sourceFiles();

describe("append-only tables have one writer", () => {
  for (const table of TABLES) {
    it(`only ${table.writer} writes ${table.table}`, () => {
      expect(writersOutside(files, table)).toEqual([]);
    });

    it(`${table.writer} is where ${table.table} is written (the exemption is not stale)`, () => {
      const writer = files.find((f) => f.file === table.writer);
      expect(writer?.text.split("\n").some((line) => table.writes[0].test(line))).toBe(true);
    });
  }

  it("recognises the ways a second writer would look", () => {
    const defects = [
      { file: "server/domain/x.ts", text: "await tx.$executeRaw`\n  insert into audit_entries (action) values ('x')`;" },
      { file: "server/domain/y.ts", text: "await db.auditEntry.create({ data });" },
      { file: "server/domain/z.ts", text: 'client.query(`INSERT INTO "events" (id) VALUES ($1)`);' },
      { file: "server/domain/w.ts", text: "await tx.event.createMany({ data: rows });" },
    ];
    expect(TABLES.flatMap((table) => writersOutside(defects, table))).toEqual([
      "server/domain/x.ts:2",
      "server/domain/y.ts:1",
      "server/domain/z.ts:1",
      "server/domain/w.ts:1",
    ]);
    // reads and other tables are not writes
    const reads = [{ file: "server/domain/r.ts", text: "SELECT * FROM audit_entries; INSERT INTO events_cursor (id) VALUES (1); db.event.findMany()" }];
    expect(TABLES.flatMap((table) => writersOutside(reads, table))).toEqual([]);
  });
});
