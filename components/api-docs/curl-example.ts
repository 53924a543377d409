import { listOperations, resolve, SAFE, types, type HttpMethod, type JsonSchema, type OpenApiDocument, type OperationView } from "./openapi-model";

/**
 * The reference's examples: example values for a schema, and a curl command per
 * operation that works as it stands, in the page's order, in one shell.
 */

/** Realistic values for the partner API's field names (docs/operations.md#demo-mode-and-demo-data). */
const EXAMPLES: Record<string, unknown> = {
  facility_code: "LON-01",
  unit_type_code: "10X10-CC",
  partner_booking_reference: "MKT-100234",
  name: "Ada Lovelace",
  email: "ada@example.com",
  phone: "+44 20 7946 0000",
  move_in_date: "2026-12-01",
  hold_ttl_seconds: 900,
  reason: "Customer changed their plans",
  available: 12,
  inventory_version: 42,
  reference: "BK-7F3K2Q",
  url: "https://example.com/webhooks/holdfast",
  description: "Bookings sync",
};

/** An example value for a schema, from the names above, then examples, enums, defaults and types. */
export function exampleFor(doc: OpenApiDocument, schema: JsonSchema, name?: string, depth = 0, values: Record<string, unknown> = EXAMPLES): unknown {
  const target = resolve(doc, schema);
  if (name && name in values) return values[name];
  if (target.example !== undefined) return target.example;
  if (target.enum?.length) return target.enum[0];
  if (target.default !== undefined) return target.default;
  const type = types(target).find((t) => t !== "null");
  if (type === "object" || target.properties) {
    if (depth > 4) return {};
    return Object.fromEntries(
      Object.entries(target.properties ?? {}).map(([key, value]) => [key, exampleFor(doc, value, key, depth + 1, values)]),
    );
  }
  if (type === "array") return target.items ? [exampleFor(doc, target.items, undefined, depth + 1, values)] : [];
  if (type === "integer") return target.minimum !== undefined && target.minimum > -SAFE ? Math.max(target.minimum, 1) : 1;
  if (type === "number") return 1.5;
  if (type === "boolean") return true;
  if (target.format === "date") return "2026-12-01";
  if (target.format === "date-time") return "2026-11-21T09:30:00Z";
  if (target.format === "email") return "ada@example.com";
  return "string";
}

/**
 * What makes the examples work on the day they are read: the page is rendered per
 * request (app/api-docs/page.tsx), so dates are relative to that day and each POST gets
 * a key of its own (pasting it again replays the stored response, as idempotency says).
 */
export interface ExampleContext {
  /** the day the page was rendered, YYYY-MM-DD (UTC) */
  today: string;
  /** a new Idempotency-Key for one POST example */
  newIdempotencyKey: () => string;
}

/** A move-in date every facility accepts on `today`: a week ahead (holds take today to a year ahead, in the facility's time zone). */
export function exampleMoveInDate(today: string): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
}

/**
 * What an example creates and a later one uses: the examples run top to bottom in one
 * shell, so the booking a hold makes is the one confirmed, fulfilled and cancelled below.
 */
export const EXAMPLE_CAPTURES: { method: HttpMethod; path: string; variable: string; field: string; param: string }[] = [
  { method: "post", path: "/api/v1/bookings", variable: "BOOKING_REFERENCE", field: "reference", param: "reference" },
  { method: "post", path: "/api/v1/webhook-endpoints", variable: "ENDPOINT_ID", field: "id", param: "id" },
  { method: "post", path: "/api/v1/imports", variable: "IMPORT_ID", field: "id", param: "import_id" },
];

/**
 * What an example must do first that the examples above it did not: an import is planned
 * by the worker after it is accepted, so apply waits for the plan; and the import above is
 * applied by the time cancel runs, so cancel uploads a dry run of its own.
 */
const EXAMPLE_PRELUDES: { method: HttpMethod; path: string; prelude: (doc: OpenApiDocument, context: ExampleContext) => string[] }[] = [
  {
    method: "post",
    path: "/api/v1/imports/{import_id}/apply",
    prelude: () => [
      "# The worker plans the file in the background: wait until the import is planned",
      `until curl -s "$HOLDFAST_URL/api/v1/imports/$IMPORT_ID?rows=none" \\`,
      `  -H "Authorization: Bearer $HOLDFAST_KEY" | grep -q '"status":"planned"'; do sleep 1; done`,
    ],
  },
  {
    method: "post",
    path: "/api/v1/imports/{import_id}/cancel",
    prelude: (doc, context) => {
      const create = listOperations(doc)
        .flatMap((g) => g.operations)
        .find((o) => o.method === "post" && o.path === "/api/v1/imports");
      return create ? ["# A dry run of its own to cancel (the one above is applied)", curlExample(doc, create, context)] : [];
    },
  },
];

/** A curl command for an operation, with $HOLDFAST_URL and $HOLDFAST_KEY from the introduction. */
export function curlExample(doc: OpenApiDocument, operation: OperationView, context: ExampleContext): string {
  // a move-out on the day of the example's move-in: never before it, never in the future
  const values: Record<string, unknown> = { ...EXAMPLES, move_in_date: exampleMoveInDate(context.today), move_out_date: context.today };
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, param: string) => {
    const captured = EXAMPLE_CAPTURES.find((c) => c.param === param);
    return captured ? `$${captured.variable}` : String(values[param] ?? `<${param}>`);
  });
  const query = operation.parameters
    .filter((p) => p.in === "query" && p.required)
    .map((p) => `${p.name}=${encodeURIComponent(String(exampleFor(doc, p.schema ?? {}, p.name, 0, values)))}`)
    .join("&");
  const capture = EXAMPLE_CAPTURES.find((c) => c.method === operation.method && c.path === operation.path);
  const method = operation.method === "get" ? "" : ` -X ${operation.method.toUpperCase()}`;
  const lines = [`${capture ? "RESPONSE=$(curl -s" : "curl"}${method} "$HOLDFAST_URL${path}${query ? `?${query}` : ""}"`];
  lines.push(`  -H "Authorization: Bearer $HOLDFAST_KEY"`);
  if (operation.parameters.some((p) => p.in === "header" && p.name === "Idempotency-Key")) {
    lines.push(`  -H "Idempotency-Key: ${context.newIdempotencyKey()}"`);
  }
  if (operation.requestBody) {
    lines.push(`  -H "Content-Type: application/json"`);
    const body = JSON.stringify(exampleFor(doc, operation.requestBody.schema, undefined, 0, values), null, 2).replace(/'/g, "'\\''");
    lines.push(`  -d '${body}'${capture ? ")" : ""}`);
  } else if (capture) {
    lines[lines.length - 1] += ")";
  }
  const prelude = EXAMPLE_PRELUDES.find((p) => p.method === operation.method && p.path === operation.path)?.prelude(doc, context) ?? [];
  const command = [...prelude, lines.join(" \\\n")].join("\n");
  if (!capture) return command;
  // The response is shown, and the new resource's id kept for the examples below it.
  return [
    command,
    `echo "$RESPONSE"`,
    `export ${capture.variable}=$(echo "$RESPONSE" | sed -n 's/.*"${capture.field}":"\\([^"]*\\)".*/\\1/p')`,
  ].join("\n");
}
