/**
 * Reads the partner API's OpenAPI 3.1 document (server/http/openapi.ts) into what the
 * reference page shows: operations with anchors, schemas as field tables, readable
 * types and constraints (the examples are curl-example.ts). Pure and free of React, so it
 * is tested alone.
 */

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
  example?: unknown;
  description?: string;
};

export interface OpenApiParameter {
  name: string;
  in: "query" | "header" | "path" | "cookie";
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

interface MediaType {
  schema?: JsonSchema;
}

export interface OpenApiResponse {
  description?: string;
  content?: Record<string, MediaType>;
  headers?: Record<string, { description?: string; schema?: JsonSchema }>;
}

export interface OpenApiOperation {
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, MediaType> };
  responses?: Record<string, OpenApiResponse>;
}

export interface ErrorCodeEntry {
  code: string;
  status: number;
  title: string;
  retryable: boolean;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
  components?: { schemas?: Record<string, JsonSchema>; securitySchemes?: Record<string, unknown> };
  "x-error-codes"?: ErrorCodeEntry[];
}

export const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

// ───────────────────────────── anchors ─────────────────────────────

/** `VALIDATION_FAILED` → `error-validation-failed`: where a problem's `type` URI points. */
export function errorAnchor(code: string): string {
  return `error-${code.toLowerCase().replace(/_/g, "-")}`;
}

/** `post /api/v1/bookings/{reference}/confirm` → `post-bookings-reference-confirm`. */
export function operationAnchor(method: string, path: string): string {
  const rest = path
    .replace(/^\/api\/v\d+\//, "")
    .replace(/[{}]/g, "")
    .split("/")
    .filter(Boolean)
    .join("-")
    .toLowerCase();
  return `${method.toLowerCase()}-${rest.replace(/[^a-z0-9-]+/g, "-")}`;
}

export function schemaAnchor(name: string): string {
  return `schema-${name.toLowerCase()}`;
}

// ───────────────────────────── operations ─────────────────────────────

export interface OperationView {
  method: HttpMethod;
  path: string;
  anchor: string;
  tag: string;
  summary: string;
  description: string;
  parameters: OpenApiParameter[];
  requestBody: { required: boolean; contentType: string; schema: JsonSchema } | null;
  responses: { status: string; description: string; contentType: string | null; schema: JsonSchema | null }[];
}

/** Every operation, grouped by the document's tag order (untagged last), in path order within a tag. */
export function listOperations(doc: OpenApiDocument): { tag: string; operations: OperationView[] }[] {
  const operations: OperationView[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const [bodyType, body] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      operations.push({
        method,
        path,
        anchor: operationAnchor(method, path),
        tag: op.tags?.[0] ?? "Other",
        summary: op.summary ?? `${method.toUpperCase()} ${path}`,
        description: op.description ?? "",
        parameters: op.parameters ?? [],
        requestBody: bodyType && body?.schema ? { required: op.requestBody?.required ?? false, contentType: bodyType, schema: body.schema } : null,
        responses: Object.entries(op.responses ?? {})
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([status, response]) => {
            const [contentType, media] = Object.entries(response.content ?? {})[0] ?? [];
            return { status, description: response.description ?? "", contentType: contentType ?? null, schema: media?.schema ?? null };
          }),
      });
    }
  }
  const order = [...(doc.tags ?? []).map((t) => t.name), "Other"];
  const tags = [...new Set(operations.map((o) => o.tag))].sort((a, b) => rank(order, a) - rank(order, b));
  return tags.map((tag) => ({ tag, operations: operations.filter((o) => o.tag === tag) }));
}

function rank(order: string[], tag: string): number {
  const i = order.indexOf(tag);
  return i === -1 ? order.length : i;
}

/** The scope an operation needs, as its description names it ("Scope `inventory:read`."). */
export function scopeOf(operation: Pick<OperationView, "description">): string | null {
  return /Scope `([a-z]+:[a-z]+)`/.exec(operation.description)?.[1] ?? null;
}

// ───────────────────────────── schemas ─────────────────────────────

export function refName(schema: JsonSchema | null | undefined): string | null {
  return schema?.$ref?.startsWith("#/components/schemas/") ? schema.$ref.slice("#/components/schemas/".length) : null;
}

export function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  const name = refName(schema);
  return name ? (doc.components?.schemas?.[name] ?? {}) : schema;
}

/** The types a schema allows: its `type`, or object for a schema with properties. */
export function types(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ["object"];
  return [];
}

/** A readable type: "string (date-time)", "integer", "string | null", "array of Pool", "object", "enum". */
export function typeLabel(schema: JsonSchema): string {
  const name = refName(schema);
  if (name) return name;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(typeLabel).join(" | ");
  const all = types(schema);
  if (all.length === 0) return schema.additionalProperties !== undefined ? "object" : "any";
  return all
    .map((t) => {
      if (t === "array") return schema.items ? `array of ${typeLabel(schema.items)}` : "array";
      if (t === "string" && schema.format) return `string (${schema.format})`;
      return t;
    })
    .join(" | ");
}

export const SAFE = Number.MAX_SAFE_INTEGER;

function range(min: number | undefined, max: number | undefined, unit = ""): string | null {
  // zod writes ±MAX_SAFE_INTEGER for every plain int: not a constraint anyone needs to read.
  const lo = min !== undefined && min > -SAFE ? min : undefined;
  const hi = max !== undefined && max < SAFE ? max : undefined;
  const fmt = (n: number) => n.toLocaleString("en-GB");
  if (lo !== undefined && hi !== undefined) return lo === hi ? `exactly ${fmt(lo)}${unit}` : `${fmt(lo)}–${fmt(hi)}${unit}`;
  if (lo !== undefined) return `≥ ${fmt(lo)}${unit}`;
  if (hi !== undefined) return `≤ ${fmt(hi)}${unit}`;
  return null;
}

/** Constraints worth reading: lengths, ranges, enum values, a pattern (not the generated ones behind a format), a default. */
export function constraintsOf(schema: JsonSchema): string[] {
  const out: string[] = [];
  const length = range(schema.minLength, schema.maxLength, " characters");
  if (length) out.push(length);
  const value = range(schema.minimum, schema.maximum);
  if (value) out.push(value);
  const items = range(schema.minItems, schema.maxItems, " items");
  if (items) out.push(items);
  if (schema.pattern && !schema.format) out.push(`pattern ${schema.pattern}`);
  if (schema.enum) out.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  if (schema.items?.enum) out.push(`each one of ${schema.items.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  return out;
}

export interface FieldRow {
  /** dotted path: "customer.email", "unit_types[].name" */
  path: string;
  name: string;
  depth: number;
  type: string;
  /** a referenced schema to link to */
  ref: string | null;
  required: boolean;
  constraints: string[];
  description: string;
}

/**
 * An object schema as rows, nested objects (and arrays of them) expanded under their
 * parent; referenced schemas are linked rather than expanded.
 */
export function fieldRows(doc: OpenApiDocument, schema: JsonSchema, prefix = "", depth = 0): FieldRow[] {
  const target = resolve(doc, schema);
  const rows: FieldRow[] = [];
  const required = new Set(target.required ?? []);
  for (const [name, property] of Object.entries(target.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    const ref = refName(property) ?? refName(property.items);
    rows.push({
      path,
      name,
      depth,
      type: typeLabel(property),
      ref,
      required: required.has(name),
      constraints: constraintsOf(property),
      description: property.description ?? "",
    });
    if (!refName(property) && property.properties) rows.push(...fieldRows(doc, property, path, depth + 1));
    if (property.items && !refName(property.items) && property.items.properties) {
      rows.push(...fieldRows(doc, property.items, `${path}[]`, depth + 1));
    }
  }
  return rows;
}

/** Whether an object schema refuses fields it does not list. */
export function isClosed(doc: OpenApiDocument, schema: JsonSchema): boolean {
  return resolve(doc, schema).additionalProperties === false;
}
