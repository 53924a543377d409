/**
 * What changed between the request an idempotency key first stood for and a later one
 * refused with IDEMPOTENCY_KEY_REUSED (docs/request-log.md#the-idempotency-inspector),
 * field by field: JSON bodies are flattened to dotted paths (`customer.email`,
 * `items.0.size`), and the method and path, which the key's fingerprint covers too, are
 * compared as `(method)` and `(path)`. A body that is not JSON (or was cut at 16 KB) is
 * compared whole, as `(body)`.
 */

export interface FieldDifference {
  field: string;
  /** the value in the first request, as JSON text; null: absent */
  first: string | null;
  /** the value in the refused request, as JSON text; null: absent */
  refused: string | null;
}

export interface ComparedRequest {
  method: string;
  path: string;
  body: string | null;
}

const MAX_DIFFERENCES = 200;

function flatten(value: unknown, prefix: string, out: Map<string, string>, depth: number): void {
  if (value !== null && typeof value === "object" && depth < 32) {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) {
      out.set(prefix || "(body)", JSON.stringify(value));
      return;
    }
    for (const [key, item] of entries) flatten(item, prefix ? `${prefix}.${key}` : key, out, depth + 1);
    return;
  }
  out.set(prefix || "(body)", JSON.stringify(value));
}

function fieldsOf(body: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (body === null || body === "") return out;
  try {
    flatten(JSON.parse(body), "", out, 0);
  } catch {
    out.set("(body)", JSON.stringify(body));
  }
  return out;
}

export function diffRequests(first: ComparedRequest, refused: ComparedRequest): FieldDifference[] {
  const differences: FieldDifference[] = [];
  if (first.method !== refused.method) differences.push({ field: "(method)", first: first.method, refused: refused.method });
  if (first.path !== refused.path) differences.push({ field: "(path)", first: first.path, refused: refused.path });
  const a = fieldsOf(first.body);
  const b = fieldsOf(refused.body);
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const field of fields) {
    const x = a.get(field) ?? null;
    const y = b.get(field) ?? null;
    if (x !== y) differences.push({ field, first: x, refused: y });
    if (differences.length >= MAX_DIFFERENCES) break;
  }
  return differences;
}
