import Link from "next/link";
import { Fragment, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { buttonClassName } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { BaseUrl } from "./base-url";
import {
  constraintsOf,
  curlExample,
  errorAnchor,
  fieldRows,
  isClosed,
  listOperations,
  refName,
  resolve,
  schemaAnchor,
  scopeOf,
  typeLabel,
  type ErrorCodeEntry,
  type ExampleContext,
  type JsonSchema,
  type OpenApiDocument,
  type OperationView,
} from "./openapi-model";
import { ERROR_GUIDANCE, EVENT_DESCRIPTIONS, SCOPES } from "./reference-content";

/**
 * The partner API reference, rendered from the OpenAPI document the server generates
 * from its own validators (server/http/openapi.ts): nothing here is written twice
 * except prose. A server component: static HTML, no scripts or fonts from elsewhere.
 */

const OPENAPI_JSON = "/api/v1/openapi.json";

const GUIDE = [
  { id: "introduction", label: "Introduction" },
  { id: "authentication", label: "Authentication & scopes" },
  { id: "requests", label: "Requests & responses" },
  { id: "idempotency", label: "Idempotency" },
  { id: "correlation", label: "Correlation ids" },
  { id: "concurrency", label: "Concurrency (If-Match)" },
  { id: "rate-limits", label: "Rate limits" },
  { id: "problems", label: "Errors (problem+json)" },
] as const;

const METHOD_TONES: Record<string, string> = {
  get: "bg-sky-100 text-sky-900 ring-sky-300",
  post: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  put: "bg-amber-100 text-amber-900 ring-amber-300",
  patch: "bg-amber-100 text-amber-900 ring-amber-300",
  delete: "bg-red-100 text-red-900 ring-red-300",
};

const anchorTarget = "scroll-mt-20";
const link = cx("rounded-sm font-medium text-indigo-800 underline decoration-indigo-300 underline-offset-2 hover:decoration-indigo-700", focusRing);

/** What the page's examples need from the request that rendered it (app/api-docs/page.tsx). */
export interface PageExamples extends ExampleContext {
  /** the origin the page was requested at: the API's base URL */
  origin: string;
  /** the demo data's partner key, when this is a demo install (README.md); null elsewhere */
  demoKey: string | null;
}

export function ApiReference({ document: doc, examples }: { document: OpenApiDocument; examples: PageExamples }) {
  const groups = listOperations(doc);
  const errorCodes = doc["x-error-codes"] ?? [];
  const codes = new Set(errorCodes.map((e) => e.code));
  const schemas = Object.entries(doc.components?.schemas ?? {});
  const eventSchema = doc.components?.schemas?.Event;
  const eventTypes = (eventSchema?.properties?.type?.enum ?? []).map(String);
  const holdExpired = errorCodes.find((e) => e.code === "HOLD_EXPIRED") ?? errorCodes[0];
  const text = (value: string) => <RichText text={value} codes={codes} />;

  return (
    <div className="min-h-screen bg-white">
      <header className="sticky top-0 z-20 flex h-14 items-center justify-between gap-4 border-b border-slate-200 bg-white/95 px-5 backdrop-blur">
        <div className="flex items-center gap-3">
          <span aria-hidden="true" className="grid h-7 w-7 place-items-center rounded-md bg-indigo-700 text-sm font-bold text-white">
            H
          </span>
          <span className="font-semibold text-slate-900">Holdfast</span>
          <span className="text-sm text-slate-600">Partner API reference</span>
          <Badge tone="neutral" className="font-mono">
            v{doc.info.version}
          </Badge>
        </div>
        <nav aria-label="Site" className="flex items-center gap-2">
          <a href={OPENAPI_JSON} className={buttonClassName("secondary", "sm")}>
            OpenAPI JSON
          </a>
          <Link href="/inventory" className={buttonClassName("ghost", "sm")}>
            Console
          </Link>
        </nav>
      </header>

      <div className="mx-auto flex max-w-[1440px]">
        <aside className="hidden w-72 shrink-0 border-r border-slate-200 bg-slate-50 lg:block">
          <nav aria-label="On this page" className="sticky top-14 max-h-[calc(100vh-3.5rem)] overflow-y-auto px-4 py-6 text-sm">
            <TocHeading>Guide</TocHeading>
            <ul className="mb-5 space-y-0.5">
              {GUIDE.map((item) => (
                <TocLink key={item.id} href={`#${item.id}`}>
                  {item.label}
                </TocLink>
              ))}
            </ul>
            {groups.map((group) => (
              <Fragment key={group.tag}>
                <TocHeading>{group.tag}</TocHeading>
                <ul className="mb-5 space-y-0.5">
                  {group.operations.map((op) => (
                    <TocLink key={op.anchor} href={`#${op.anchor}`}>
                      <span className="flex items-baseline gap-1.5">
                        <span className="w-9 shrink-0 font-mono text-[10px] font-bold text-slate-500 uppercase">{op.method}</span>
                        <span className="min-w-0 font-mono text-xs">
                          <BreakablePath path={op.path.replace(/^\/api\/v1/, "")} />
                        </span>
                      </span>
                    </TocLink>
                  ))}
                </ul>
              </Fragment>
            ))}
            <TocHeading>Reference</TocHeading>
            <ul className="space-y-0.5">
              <TocLink href="#events">Event types</TocLink>
              <TocLink href="#errors">Error codes</TocLink>
              <TocLink href="#schemas">Schemas</TocLink>
              <li>
                <a href={OPENAPI_JSON} className={cx("block rounded px-2 py-1 text-slate-700 hover:bg-slate-200/60 hover:text-slate-900", focusRing)}>
                  OpenAPI 3.1 document ↗
                </a>
              </li>
            </ul>
          </nav>
        </aside>

        <main id="main" className="min-w-0 flex-1 px-6 py-8 lg:px-12">
          <div className="max-w-4xl space-y-14">
            {/* ───────────── guide ───────────── */}
            <Section id="introduction" title={doc.info.title} level={1}>
              <Prose>
                <p>{text(doc.info.description ?? "")}</p>
                <p>
                  Base URL: <code className={codeClass}><BaseUrl fallback={examples.origin} /></code>. Every path below starts with <code className={codeClass}>/api/v1</code>
                  . The machine-readable description is at{" "}
                  <a href={OPENAPI_JSON} className={link}>
                    {OPENAPI_JSON}
                  </a>{" "}
                  (OpenAPI 3.1): generate a client from it, or import it into your API tool.
                </p>
              </Prose>
              <CodeBlock label="Quick start">
                {"export HOLDFAST_URL="}
                <BaseUrl fallback={examples.origin} />
                {examples.demoKey
                  ? `\nexport HOLDFAST_KEY=${examples.demoKey}   # the demo data's key; elsewhere, the key you were given\n`
                  : "\nexport HOLDFAST_KEY=hf_live_…   # from your Holdfast contact; shown to them once\n"}
                {'curl "$HOLDFAST_URL/api/v1/facilities" -H "Authorization: Bearer $HOLDFAST_KEY"'}
              </CodeBlock>
              <Prose>
                <p>
                  The example under each endpoint below works as it stands, in this page&apos;s order, in the shell where you ran
                  the quick start: dates are relative to today, each POST has an Idempotency-Key of its own (pasting it again
                  replays the stored response), and the booking and the endpoint the examples create are kept in{" "}
                  <code className={codeClass}>$BOOKING_REFERENCE</code> and <code className={codeClass}>$ENDPOINT_ID</code> for the
                  examples after them.
                </p>
              </Prose>
            </Section>

            <Section id="authentication" title="Authentication & scopes">
              <Prose>
                <p>
                  Send your API key on every request as <code className={codeClass}>Authorization: Bearer &lt;api key&gt;</code>. Keys are
                  stored hashed and shown once, when created; if one is lost or leaked, have it revoked and a new one issued. A missing,
                  unknown or revoked key is <ErrorLink code="UNAUTHENTICATED" status={401} />; a valid key without the endpoint&apos;s scope
                  is <ErrorLink code="FORBIDDEN" status={403} />.
                </p>
                <p>
                  A key may be limited to some facilities: anything at another facility is then{" "}
                  <ErrorLink code="NOT_FOUND" status={404} />, exactly as if it did not exist.
                </p>
              </Prose>
              <SimpleTable caption="API key scopes" head={["Scope", "Allows"]}>
                {SCOPES.map((s) => (
                  <tr key={s.scope}>
                    <Cell className="font-mono whitespace-nowrap">{s.scope}</Cell>
                    <Cell>{s.allows}</Cell>
                  </tr>
                ))}
              </SimpleTable>
            </Section>

            <Section id="requests" title="Requests & responses">
              <Prose>
                <ul>
                  <li>
                    JSON in and out, with <code className={codeClass}>snake_case</code> names. Request bodies refuse fields they do not
                    define, so a typo is a <ErrorLink code="VALIDATION_FAILED" status={422} /> rather than silently ignored.
                  </li>
                  <li>Timestamps are RFC 3339 in UTC; dates (<code className={codeClass}>move_in_date</code>) are ISO dates.</li>
                  <li>
                    A single resource is the JSON object itself; a list is <code className={codeClass}>{"{ \"data\": [...], \"next_cursor\": … }"}</code>,
                    where <code className={codeClass}>next_cursor</code> is <code className={codeClass}>null</code> on the last page.
                  </li>
                  <li>
                    The event feed is ordered and resumable: pass the id of the last event you processed as{" "}
                    <code className={codeClass}>after</code>.
                  </li>
                </ul>
              </Prose>
            </Section>

            <Section id="idempotency" title="Idempotency">
              <Prose>
                <p>
                  Every <code className={codeClass}>POST</code> needs an <code className={codeClass}>Idempotency-Key</code> header (≤ 255
                  characters; a UUID per operation is ideal). Without it: <ErrorLink code="IDEMPOTENCY_KEY_REQUIRED" status={400} />.
                </p>
                <ul>
                  <li>
                    The same key with the same request returns the stored response byte for byte, with{" "}
                    <code className={codeClass}>Idempotent-Replayed: true</code>: retrying after a timeout never books twice.
                  </li>
                  <li>
                    The same key with a different method, path or body is <ErrorLink code="IDEMPOTENCY_KEY_REUSED" status={422} />.
                  </li>
                  <li>
                    The same key while the first request is still running is <ErrorLink code="IDEMPOTENCY_KEY_IN_USE" status={409} />{" "}
                    (retry shortly).
                  </li>
                  <li>Keys are kept for at least 24 hours. Validation failures are not stored.</li>
                </ul>
              </Prose>
            </Section>

            <Section id="correlation" title="Correlation ids">
              <Prose>
                <p>
                  Send <code className={codeClass}>X-Correlation-Id</code> (1–128 of <code className={codeClass}>A–Z a–z 0–9 . _ : -</code>) to
                  trace a request through Holdfast; without one, Holdfast makes one. It comes back on every response, in every problem as{" "}
                  <code className={codeClass}>correlation_id</code>, and on every event and webhook the request caused. Quote it when you
                  contact support.
                </p>
              </Prose>
            </Section>

            <Section id="concurrency" title="Concurrency (If-Match)">
              <Prose>
                <p>
                  Every pool has an <code className={codeClass}>inventory_version</code> that rises by exactly 1 with every change of its
                  availability. To hold a unit only if nothing changed since you read availability, send{" "}
                  <code className={codeClass}>If-Match: &quot;&lt;inventory_version&gt;&quot;</code> with{" "}
                  <code className={codeClass}>POST /api/v1/bookings</code>; if the pool moved on, the answer is{" "}
                  <ErrorLink code="VERSION_CONFLICT" status={412} />. Without If-Match, the hold takes any available unit of the type, and
                  never oversells.
                </p>
              </Prose>
            </Section>

            <Section id="rate-limits" title="Rate limits">
              <Prose>
                <p>
                  Requests are limited per API key and per endpoint class (reads and writes), across all of Holdfast&apos;s servers.
                  Over the limit: <ErrorLink code="RATE_LIMITED" status={429} /> with <code className={codeClass}>Retry-After</code> (seconds)
                  and <code className={codeClass}>RateLimit-*</code> headers describing the budget. Back off and retry after that long.
                </p>
              </Prose>
            </Section>

            <Section id="problems" title="Errors (problem+json)">
              <Prose>
                <p>
                  Refusals are RFC 9457 <code className={codeClass}>application/problem+json</code> with a stable, machine-readable{" "}
                  <code className={codeClass}>code</code>; branch on it, not on <code className={codeClass}>detail</code>, which is for
                  people. <code className={codeClass}>type</code> links to the code&apos;s entry in the{" "}
                  <a href="#errors" className={link}>
                    error table
                  </a>
                  , <code className={codeClass}>retryable</code> says whether the same request may succeed later, and some problems add
                  context such as <code className={codeClass}>current_status</code>, <code className={codeClass}>allowed_actions</code> or
                  per-field <code className={codeClass}>errors</code>. No input, however malformed, produces a 500 or a stack trace.
                </p>
              </Prose>
              {holdExpired ? (
                <CodeBlock label={`Example: ${holdExpired.status} ${holdExpired.code}`}>
                  {JSON.stringify(
                    {
                      type: `/api-docs#${errorAnchor(holdExpired.code)}`,
                      title: holdExpired.title,
                      status: holdExpired.status,
                      code: holdExpired.code,
                      detail: "Booking BK-7F3K2Q's hold expired at 2026-11-21T09:45:00Z.",
                      correlation_id: "cor_5b1e0c2f9d7a4e8b",
                      retryable: holdExpired.retryable,
                      current_status: "expired",
                      allowed_actions: [],
                    },
                    null,
                    2,
                  )}
                </CodeBlock>
              ) : null}
            </Section>

            {/* ───────────── endpoints ───────────── */}
            {groups.map((group) => (
              <section key={group.tag} aria-labelledby={`tag-${group.tag.toLowerCase()}`} className="space-y-8">
                <h2 id={`tag-${group.tag.toLowerCase()}`} className={cx("border-b border-slate-200 pb-2 text-xl font-semibold text-slate-900", anchorTarget)}>
                  {group.tag}
                </h2>
                {group.operations.map((op) => (
                  <Operation key={op.anchor} doc={doc} op={op} codes={codes} example={curlExample(doc, op, examples)} />
                ))}
              </section>
            ))}

            {/* ───────────── reference ───────────── */}
            <Section id="events" title="Event types">
              <Prose>
                <p>
                  Every change is an immutable event, delivered to your webhook endpoints (signed with Standard Webhooks) and readable
                  from the event feed (<a href="#get-events" className={link}>GET /api/v1/events</a>).{" "}
                  <code className={codeClass}>aggregate_version</code> rises by 1 per change of the booking or pool it is about: drop an
                  event older than one you already applied. An event&apos;s <code className={codeClass}>id</code> is also its deliveries&apos;{" "}
                  <code className={codeClass}>webhook-id</code>, so deduplicate on it.
                </p>
              </Prose>
              <SimpleTable caption="Event types" head={["Type", "Meaning"]}>
                {eventTypes.map((type) => (
                  <tr key={type} id={`event-${type.replace(/\./g, "-")}`} className={cx(anchorTarget, "target:bg-amber-50")}>
                    <Cell className="font-mono whitespace-nowrap">{type}</Cell>
                    <Cell>{EVENT_DESCRIPTIONS[type] ?? ""}</Cell>
                  </tr>
                ))}
              </SimpleTable>
              {eventSchema ? (
                <div>
                  <h3 className="mb-2 text-sm font-semibold text-slate-900">
                    The event envelope (<a href={`#${schemaAnchor("Event")}`} className={link}>Event</a>)
                  </h3>
                  <FieldTable doc={doc} schema={eventSchema} caption="Event fields" codes={codes} />
                </div>
              ) : null}
            </Section>

            <Section id="errors" title="Error codes">
              <Prose>
                <p>
                  Every problem&apos;s <code className={codeClass}>type</code> points at its row here, e.g.{" "}
                  <code className={codeClass}>/api-docs#{errorAnchor("VALIDATION_FAILED")}</code>.
                </p>
              </Prose>
              <ErrorTable errors={errorCodes} codes={codes} />
            </Section>

            <Section id="schemas" title="Schemas">
              <div className="space-y-8">
                {schemas.map(([name, schema]) => (
                  <div key={name} id={schemaAnchor(name)} className={anchorTarget}>
                    <h3 className="mb-1 font-mono text-base font-semibold text-slate-900">{name}</h3>
                    {schema.description ? <p className="mb-2 text-sm text-slate-700">{text(schema.description)}</p> : null}
                    {isClosed(doc, schema) ? <p className="mb-2 text-xs text-slate-600">Fields not listed here are refused.</p> : null}
                    <FieldTable doc={doc} schema={schema} caption={`${name} fields`} codes={codes} />
                  </div>
                ))}
              </div>
            </Section>
          </div>
        </main>
      </div>
    </div>
  );
}

// ───────────────────────────── one endpoint ─────────────────────────────

function Operation({ doc, op, codes, example }: { doc: OpenApiDocument; op: OperationView; codes: Set<string>; example: string }) {
  const scope = scopeOf(op);
  const description = op.description.replace(/^Scope `[a-z]+:[a-z]+`\.\s*/, "");
  const success = op.responses.filter((r) => r.status.startsWith("2"));
  return (
    <article
      id={op.anchor}
      aria-labelledby={`${op.anchor}-title`}
      className={cx("rounded-lg border border-slate-200 bg-white shadow-sm", anchorTarget)}
      data-testid="operation"
    >
      <header className="border-b border-slate-200 px-5 py-4">
        <div className="flex flex-wrap items-center gap-2">
          <MethodBadge method={op.method} />
          <code className="font-mono text-sm font-semibold break-all text-slate-900">{op.path}</code>
          <a href={`#${op.anchor}`} className={cx("ml-auto rounded-sm text-xs text-slate-500 hover:text-slate-800", focusRing)}>
            #<span className="sr-only"> link to {op.method.toUpperCase()} {op.path}</span>
          </a>
        </div>
        <h3 id={`${op.anchor}-title`} className="mt-2 text-base font-semibold text-slate-900">
          {op.summary}
        </h3>
        {scope || description ? (
          <p className="mt-1 text-sm text-slate-700">
            {scope ? (
              <Badge tone="info" className="mr-2 font-mono">
                scope {scope}
              </Badge>
            ) : null}
            <RichText text={description} codes={codes} />
          </p>
        ) : null}
      </header>
      <div className="space-y-5 px-5 py-4">
        {op.parameters.length ? (
          <div>
            <SubHeading>Parameters</SubHeading>
            <SimpleTable caption={`Parameters of ${op.method.toUpperCase()} ${op.path}`} head={["Name", "In", "Type", "", "Description"]}>
              {op.parameters.map((p) => (
                <tr key={`${p.in}-${p.name}`}>
                  <Cell className="font-mono font-semibold whitespace-nowrap text-slate-900">{p.name}</Cell>
                  <Cell className="text-slate-600">{p.in}</Cell>
                  <Cell className="font-mono text-xs whitespace-nowrap">{typeLabel(p.schema ?? {})}</Cell>
                  <Cell>
                    <RequiredMark required={p.required ?? false} />
                  </Cell>
                  <Cell>
                    <Described description={p.description} constraints={constraintsOf(p.schema ?? {})} codes={codes} />
                  </Cell>
                </tr>
              ))}
            </SimpleTable>
          </div>
        ) : null}

        {op.requestBody ? (
          <div>
            <SubHeading>
              Request body{" "}
              <span className="font-normal text-slate-600">
                ({op.requestBody.contentType}
                {refName(op.requestBody.schema) ? (
                  <>
                    ,{" "}
                    <a href={`#${schemaAnchor(refName(op.requestBody.schema)!)}`} className={link}>
                      {refName(op.requestBody.schema)}
                    </a>
                  </>
                ) : null}
                ){isClosed(doc, op.requestBody.schema) ? " · other fields are refused" : ""}
              </span>
            </SubHeading>
            <FieldTable doc={doc} schema={op.requestBody.schema} caption={`Request body of ${op.method.toUpperCase()} ${op.path}`} codes={codes} />
          </div>
        ) : null}

        <div>
          <SubHeading>Responses</SubHeading>
          <SimpleTable caption={`Responses of ${op.method.toUpperCase()} ${op.path}`} head={["Status", "Meaning", "Body"]}>
            {op.responses.map((r) => {
              const name = refName(r.schema);
              return (
                <tr key={r.status}>
                  <Cell className="w-20">
                    <StatusBadge status={r.status} />
                  </Cell>
                  <Cell>
                    <RichText text={r.description} codes={codes} />
                  </Cell>
                  <Cell className="text-xs whitespace-nowrap">
                    {name ? (
                      <a href={`#${schemaAnchor(name)}`} className={cx(link, "font-mono")}>
                        {name}
                      </a>
                    ) : (
                      <span className="text-slate-500">—</span>
                    )}
                  </Cell>
                </tr>
              );
            })}
          </SimpleTable>
        </div>

        {success.map((r) =>
          r.schema ? (
            <details key={r.status} className="group rounded-md border border-slate-200">
              <summary className={cx("cursor-pointer rounded-md px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50", focusRing)}>
                {r.status} response fields{refName(r.schema) ? ` (${refName(r.schema)})` : ""}
              </summary>
              <div className="border-t border-slate-200">
                <FieldTable doc={doc} schema={r.schema} caption={`${r.status} response of ${op.method.toUpperCase()} ${op.path}`} codes={codes} flush />
              </div>
            </details>
          ) : null,
        )}

        <CodeBlock label="Example" copy={example}>
          {example}
        </CodeBlock>
      </div>
    </article>
  );
}

// ───────────────────────────── tables ─────────────────────────────

function FieldTable({
  doc,
  schema,
  caption,
  codes,
  flush,
}: {
  doc: OpenApiDocument;
  schema: JsonSchema;
  caption: string;
  codes: Set<string>;
  flush?: boolean;
}) {
  const rows = fieldRows(doc, schema);
  if (rows.length === 0) {
    const target = resolve(doc, schema);
    return <p className="text-sm text-slate-600">{typeLabel(target)}</p>;
  }
  return (
    <SimpleTable
      caption={caption}
      head={["Field", "Type", "", "Constraints and description"]}
      widths={["w-[30%]", "w-[20%]", "w-[11%]", ""]}
      flush={flush}
    >
      {rows.map((row) => (
        <tr key={row.path}>
          <Cell className="font-mono break-words">
            <span style={{ paddingLeft: `${row.depth * 1.25}rem` }} className="inline-block">
              {row.depth > 0 ? <span className="mr-1 text-slate-400" aria-hidden="true">└</span> : null}
              <span className="font-semibold text-slate-900">{row.name}</span>
              {row.depth > 0 ? <span className="sr-only"> ({row.path})</span> : null}
            </span>
          </Cell>
          <Cell className="font-mono text-xs break-words">
            {row.ref ? (
              <>
                {row.type.replace(row.ref, "")}
                <a href={`#${schemaAnchor(row.ref)}`} className={link}>
                  {row.ref}
                </a>
              </>
            ) : (
              row.type
            )}
          </Cell>
          <Cell>
            <RequiredMark required={row.required} />
          </Cell>
          <Cell>
            <Described description={row.description} constraints={row.constraints} codes={codes} />
          </Cell>
        </tr>
      ))}
    </SimpleTable>
  );
}

function ErrorTable({ errors, codes }: { errors: ErrorCodeEntry[]; codes: Set<string> }) {
  return (
    <SimpleTable caption="Error codes" head={["Code", "HTTP", "Title", "Retry?", "What it means, what to do"]}>
      {errors.map((e) => (
        <tr key={e.code} id={errorAnchor(e.code)} className={cx(anchorTarget, "target:bg-amber-50")} data-testid="error-code-row">
          <Cell className="font-mono font-semibold whitespace-nowrap text-slate-900">
            <a href={`#${errorAnchor(e.code)}`} className={cx("rounded-sm hover:underline", focusRing)}>
              {e.code}
            </a>
          </Cell>
          <Cell>
            <StatusBadge status={String(e.status)} />
          </Cell>
          <Cell className="min-w-40">{e.title}</Cell>
          <Cell>{e.retryable ? <Badge tone="warning">Yes</Badge> : <span className="text-slate-600">No</span>}</Cell>
          <Cell className="text-slate-700">
            <RichText text={ERROR_GUIDANCE[e.code] ?? ""} codes={codes} />
          </Cell>
        </tr>
      ))}
    </SimpleTable>
  );
}

function SimpleTable({
  caption,
  head,
  widths,
  children,
  flush,
}: {
  caption: string;
  head: string[];
  /** fixed column widths, so tables of the same kind line up down the page */
  widths?: string[];
  children: ReactNode;
  flush?: boolean;
}) {
  return (
    <div className={cx("overflow-x-auto", !flush && "rounded-md border border-slate-200")}>
      <table className={cx("w-full border-collapse text-sm", widths && "table-fixed")}>
        <caption className="sr-only">{caption}</caption>
        {widths ? (
          <colgroup>
            {widths.map((w, i) => (
              <col key={i} className={w} />
            ))}
          </colgroup>
        ) : null}
        <thead className="bg-slate-50 text-left text-xs font-semibold text-slate-700">
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className="px-3 py-2 whitespace-nowrap">
                {h || <span className="sr-only">Required</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-baseline">{children}</tbody>
      </table>
    </div>
  );
}

function Cell({ className, children }: { className?: string; children: ReactNode }) {
  return <td className={cx("px-3 py-2 text-slate-800", className)}>{children}</td>;
}

// ───────────────────────────── small pieces ─────────────────────────────

const codeClass = "rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em] text-slate-900";

/** Inline `code` in backticks, and error codes linked to their row in the table. */
function RichText({ text, codes }: { text: string; codes: Set<string> }) {
  const parts = text.split(/(`[^`]+`)/g);
  return (
    <>
      {parts.map((part, i) =>
        part.startsWith("`") && part.endsWith("`") && part.length > 1 ? (
          <code key={i} className={codeClass}>
            {part.slice(1, -1)}
          </code>
        ) : (
          <Fragment key={i}>{linkCodes(part, codes)}</Fragment>
        ),
      )}
    </>
  );
}

function linkCodes(text: string, codes: Set<string>): ReactNode {
  if (codes.size === 0) return text;
  const pattern = new RegExp(`\\b(${[...codes].sort((a, b) => b.length - a.length).join("|")})\\b`, "g");
  return text.split(pattern).map((piece, i) =>
    codes.has(piece) ? (
      <a key={i} href={`#${errorAnchor(piece)}`} className={cx(link, "font-mono text-[0.85em]")}>
        {piece}
      </a>
    ) : (
      piece
    ),
  );
}

function Described({ description, constraints, codes }: { description?: string; constraints: string[]; codes: Set<string> }) {
  if (!description && constraints.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <>
      {description ? (
        <span className="block">
          <RichText text={description} codes={codes} />
        </span>
      ) : null}
      {constraints.length ? (
        <span className="mt-0.5 flex flex-wrap gap-1">
          {constraints.map((c) => (
            <span key={c} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] break-all text-slate-700">
              {c}
            </span>
          ))}
        </span>
      ) : null}
    </>
  );
}

function RequiredMark({ required }: { required: boolean }) {
  return required ? (
    <span className="text-xs font-semibold text-red-800">required</span>
  ) : (
    <span className="text-xs text-slate-500">optional</span>
  );
}

function MethodBadge({ method }: { method: string }) {
  return (
    <span className={cx("inline-flex w-14 justify-center rounded px-1.5 py-0.5 font-mono text-xs font-bold uppercase ring-1 ring-inset", METHOD_TONES[method])}>
      {method}
    </span>
  );
}

function StatusBadge({ status }: { status: string }) {
  const tone = status.startsWith("2") ? "success" : status.startsWith("5") ? "danger" : "warning";
  return (
    <Badge tone={tone} className="font-mono">
      {status}
    </Badge>
  );
}

function ErrorLink({ code, status }: { code: string; status: number }) {
  return (
    <a href={`#${errorAnchor(code)}`} className={link}>
      {status} <span className="font-mono text-[0.85em]">{code}</span>
    </a>
  );
}

function Section({ id, title, level = 2, children }: { id: string; title: ReactNode; level?: 1 | 2; children: ReactNode }) {
  const Heading = level === 1 ? "h1" : "h2";
  return (
    <section aria-labelledby={`${id}-heading`} id={id} className={cx("space-y-4", anchorTarget)}>
      <Heading
        id={`${id}-heading`}
        className={cx(
          "font-semibold text-slate-900",
          level === 1 ? "text-3xl tracking-tight" : "border-b border-slate-200 pb-2 text-xl",
        )}
      >
        {title}
      </Heading>
      {children}
    </section>
  );
}

function Prose({ children }: { children: ReactNode }) {
  return <div className="space-y-3 text-[15px] leading-relaxed text-slate-800 [&_li]:ml-5 [&_li]:list-disc [&_ul]:space-y-1.5">{children}</div>;
}

function SubHeading({ children }: { children: ReactNode }) {
  return <h4 className="mb-2 text-sm font-semibold text-slate-900">{children}</h4>;
}

function CodeBlock({ label, copy, children }: { label: string; copy?: string; children: ReactNode }) {
  return (
    <figure className="overflow-hidden rounded-md border border-slate-800 bg-slate-900">
      <figcaption className="flex items-center justify-between border-b border-slate-700 px-3 py-1.5 text-xs font-medium text-slate-300">
        {label}
        {copy ? <CopyButton value={copy} appearance="on-dark" /> : null}
      </figcaption>
      <pre className="overflow-x-auto p-4 font-mono text-[13px] leading-relaxed text-slate-100">
        <code>{children}</code>
      </pre>
    </figure>
  );
}

/** A path that may wrap only after a slash. */
function BreakablePath({ path }: { path: string }) {
  const parts = path.split("/");
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 ? "/" : ""}
          {part}
          {i > 0 && i < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </>
  );
}

function TocHeading({ children }: { children: ReactNode }) {
  return <p className="mb-1.5 px-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">{children}</p>;
}

function TocLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <li>
      <a href={href} className={cx("block rounded px-2 py-1 text-slate-700 hover:bg-slate-200/60 hover:text-slate-900", focusRing)}>
        {children}
      </a>
    </li>
  );
}
