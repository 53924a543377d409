import { BaseUrl } from "./base-url";
import { errorAnchor, type ErrorCodeEntry, type OpenApiDocument } from "./openapi-model";
import { SCOPES } from "./reference-content";
import { Cell, SimpleTable } from "./reference-tables";
import { CodeBlock, codeClass, ErrorLink, link, OPENAPI_JSON, Prose, RichText, Section } from "./reference-ui";
import type { PageExamples } from "./api-reference";

/** The guide at the top of the reference: what every endpoint has in common. */
export function ReferenceGuide({ doc, examples, codes }: { doc: OpenApiDocument; examples: PageExamples; codes: Set<string> }) {
  const errorCodes = doc["x-error-codes"] ?? [];
  const holdExpired = errorCodes.find((e) => e.code === "HOLD_EXPIRED") ?? errorCodes[0];
  return (
    <>
      <Introduction doc={doc} examples={examples} codes={codes} />
      <Authentication />
      <Requests />
      <Idempotency />
      <Correlation />
      <Concurrency />
      <RateLimits />
      <Problems holdExpired={holdExpired} />
    </>
  );
}

function Introduction({ doc, examples, codes }: { doc: OpenApiDocument; examples: PageExamples; codes: Set<string> }) {
  const text = (value: string) => <RichText text={value} codes={codes} />;
  return (
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
  );
}

function Authentication() {
  return (
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
  );
}

function Requests() {
  return (
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
  );
}

function Idempotency() {
  return (
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
  );
}

function Correlation() {
  return (
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
  );
}

function Concurrency() {
  return (
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
  );
}

function RateLimits() {
  return (
    <Section id="rate-limits" title="Rate limits">
      <Prose>
        <p>
          Requests are limited per API key and per endpoint class (reads, writes, and the bulk lane: uploading a catalogue
          import, 10 a minute by default, counted apart so a file never uses up your live bookings&apos; budget), across all of
          Holdfast&apos;s servers.
          Over the limit: <ErrorLink code="RATE_LIMITED" status={429} /> with <code className={codeClass}>Retry-After</code> (seconds)
          and <code className={codeClass}>RateLimit-*</code> headers describing the budget. Back off and retry after that long.
        </p>
      </Prose>
    </Section>
  );
}

function Problems({ holdExpired }: { holdExpired: ErrorCodeEntry | undefined }) {
  return (
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
  );
}
