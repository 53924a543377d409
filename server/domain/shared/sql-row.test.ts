import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * SqlRow (./sql-row.ts) names a model's fields by their snake_case column names. That holds
 * only while every column is the snake_case of its field, so this test reads the schema and
 * lists the fields whose column is named otherwise (there must be none).
 */

const snake = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

function misnamedColumns(schema: string): string[] {
  const models = new Set([...schema.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]));
  const wrong: string[] = [];
  for (const [, model, body] of schema.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)) {
    for (const line of body!.split("\n")) {
      const field = /^\s+(\w+)\s+(\w+)(\[\])?\??(.*)$/.exec(line);
      if (!field || line.trim().startsWith("//") || line.trim().startsWith("@@")) continue;
      const [, name, type, , rest] = field;
      if (models.has(type!) || rest!.includes("@relation")) continue; // a relation, not a column
      const column = /@map\("([^"]+)"\)/.exec(rest!)?.[1] ?? name!;
      if (column !== snake(name!)) wrong.push(`${model}.${name} → ${column}`);
    }
  }
  return wrong;
}

describe("SqlRow's column names", () => {
  it("every column in prisma/schema.prisma is the snake_case of its field", () => {
    expect(misnamedColumns(readFileSync("prisma/schema.prisma", "utf8"))).toEqual([]);
  });

  it("finds a column named otherwise", () => {
    const schema = 'model Hold {\n  id        String @id\n  expiresAt DateTime @map("expiry")\n  unitId    String\n  unit      Unit @relation(fields: [unitId], references: [id])\n}\nmodel Unit {\n  id String @id\n}\n';
    expect(misnamedColumns(schema)).toEqual(["Hold.expiresAt → expiry", "Hold.unitId → unitId"]);
  });
});
