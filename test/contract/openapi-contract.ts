import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

/**
 * Checks one partner-API response against the served OpenAPI document with a real JSON
 * Schema validator (Ajv, draft 2020-12, which OpenAPI 3.1 schemas are): the status is
 * declared for that operation, the content type is one the document names for it, the
 * body matches its schema, and the headers it marks required are there. A request that
 * matches no operation must get the document's UnknownPath 404 or MethodNotAllowed 405.
 * The integration suite's HTTP server (test/route-server.ts) runs every response it
 * serves through this, so any test that talks to the API also tests the document.
 */

type Json = Record<string, unknown>;

interface ResponseSpec {
  description?: string;
  headers?: Record<string, { required?: boolean }>;
  content?: Record<string, { schema?: Json }>;
}

interface OperationSpec {
  responses?: Record<string, ResponseSpec>;
}

export interface OpenApiDocumentLike {
  paths: Record<string, Record<string, OperationSpec>>;
  components?: { responses?: Record<string, ResponseSpec> };
  "x-error-codes"?: { code: string; status: number }[];
}

export interface Exchange {
  method: string;
  /** the path as sent (still percent-encoded), without the query */
  path: string;
  status: number;
  headers: Headers;
  body: Buffer;
}

/** What the contract covers: the partner API, except the document itself. */
export function isPartnerApiPath(pathname: string): boolean {
  return (pathname === "/api/v1" || pathname.startsWith("/api/v1/")) && pathname !== "/api/v1/openapi.json";
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const DOCUMENT_ID = "https://holdfast.invalid/openapi.json";

const pointer = (...segments: string[]) => "#/" + segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

export class OpenApiContract {
  private readonly ajv: Ajv2020;
  private readonly templates: { template: string; pattern: RegExp; params: number }[];
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly codeStatus: Map<string, number>;

  constructor(private readonly doc: OpenApiDocumentLike) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    // The whole document is one schema resource, so every "#/components/schemas/…" inside
    // it resolves as it does for any OpenAPI tool.
    this.ajv.addSchema({ ...doc, $id: DOCUMENT_ID } as Json);
    this.templates = Object.keys(doc.paths)
      .map((template) => ({
        template,
        pattern: new RegExp(
          "^" + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+") + "$",
        ),
        params: (template.match(/\{/g) ?? []).length,
      }))
      // a literal segment wins over a parameter, as in the router
      .sort((a, b) => a.params - b.params);
    this.codeStatus = new Map((doc["x-error-codes"] ?? []).map((e) => [e.code, e.status]));
  }

  /** Every way the response breaks the contract; empty when it keeps it. */
  check(exchange: Exchange): string[] {
    const method = exchange.method.toLowerCase();
    const where = `${exchange.method} ${exchange.path} → ${exchange.status}`;
    const template = this.templates.find((t) => t.pattern.test(exchange.path))?.template;
    if (!template) return this.checkShared("UnknownPath", 404, where, exchange);

    const item = this.doc.paths[template]!;
    // OPTIONS is answered by the framework (CORS and Allow), not an operation of the API.
    if (method === "options") return [];
    // HEAD is GET without a body.
    const operation = item[method] ?? (method === "head" ? item.get : undefined);
    if (!operation) {
      const problems = this.checkShared("MethodNotAllowed", 405, where, exchange);
      const allowed = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
      const allow = (exchange.headers.get("allow") ?? "").split(",").map((m) => m.trim().toUpperCase());
      for (const m of allowed) if (!allow.includes(m)) problems.push(`${where}: Allow header "${exchange.headers.get("allow")}" lacks ${m}`);
      return problems;
    }
    const responses = operation.responses ?? {};
    const key = [String(exchange.status), `${String(exchange.status)[0]}XX`, "default"].find((k) => responses[k]);
    if (!key) {
      return [`${where}: status ${exchange.status} is not declared for ${method.toUpperCase()} ${template} (declared: ${Object.keys(responses).join(", ")})`];
    }
    return this.checkResponse(
      responses[key]!,
      pointer("paths", template, item[method] ? method : "get", "responses", key),
      where,
      exchange,
      method === "head",
    );
  }

  private checkShared(name: string, status: number, where: string, exchange: Exchange): string[] {
    const spec = this.doc.components?.responses?.[name];
    if (!spec) return [`${where}: the document has no components.responses.${name}`];
    if (exchange.status !== status) {
      return [`${where}: ${name === "UnknownPath" ? "no operation has this path" : "the path has no such method"}, so the answer must be ${status} (components.responses.${name})`];
    }
    return this.checkResponse(spec, pointer("components", "responses", name), where, exchange, exchange.method === "HEAD");
  }

  private checkResponse(spec: ResponseSpec, at: string, where: string, exchange: Exchange, headOnly: boolean): string[] {
    const problems: string[] = [];
    for (const [name, header] of Object.entries(spec.headers ?? {})) {
      if (header.required && !exchange.headers.has(name)) problems.push(`${where}: required header ${name} is missing`);
    }
    const content = spec.content ?? {};
    const contentType = (exchange.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (Object.keys(content).length === 0) {
      if (exchange.body.length > 0) problems.push(`${where}: the document declares no body, but one was sent (${contentType || "no content type"})`);
      return problems;
    }
    if (!content[contentType]) {
      problems.push(`${where}: content type "${contentType}" is not declared (declared: ${Object.keys(content).join(", ")})`);
      return problems;
    }
    if (headOnly) return problems;
    let body: unknown;
    try {
      body = JSON.parse(exchange.body.toString("utf8"));
    } catch {
      problems.push(`${where}: the body is not JSON: ${exchange.body.toString("utf8").slice(0, 200)}`);
      return problems;
    }
    const validate = this.validator(`${DOCUMENT_ID}${at}/content/${contentType.replace(/~/g, "~0").replace(/\//g, "~1")}/schema`);
    if (!validate(body)) {
      for (const e of validate.errors ?? []) {
        problems.push(`${where}: body${e.instancePath || ""} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
      }
    }
    if (contentType === "application/problem+json" && body && typeof body === "object") {
      const { status, code } = body as { status?: unknown; code?: unknown };
      if (status !== exchange.status) problems.push(`${where}: the problem says status ${String(status)}`);
      const codeStatus = this.codeStatus.get(String(code));
      if (codeStatus !== undefined && codeStatus !== exchange.status) {
        problems.push(`${where}: error code ${String(code)} is documented as ${codeStatus}`);
      }
    }
    return problems;
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }
}
