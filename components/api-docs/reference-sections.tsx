import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { errorAnchor, isClosed, schemaAnchor, type ErrorCodeEntry, type OpenApiDocument } from "./openapi-model";
import { ERROR_GUIDANCE, EVENT_DESCRIPTIONS } from "./reference-content";
import { Cell, FieldTable, SimpleTable } from "./reference-tables";
import { anchorTarget, codeClass, link, Prose, RichText, Section, StatusBadge } from "./reference-ui";

/** The reference tables after the endpoints: event types, error codes, schemas. */

export function EventTypes({ doc, codes }: { doc: OpenApiDocument; codes: Set<string> }) {
  const eventSchema = doc.components?.schemas?.Event;
  const eventTypes = (eventSchema?.properties?.type?.enum ?? []).map(String);
  return (
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
  );
}

export function ErrorCodes({ doc, codes }: { doc: OpenApiDocument; codes: Set<string> }) {
  const errorCodes = doc["x-error-codes"] ?? [];
  return (
    <Section id="errors" title="Error codes">
      <Prose>
        <p>
          Every problem&apos;s <code className={codeClass}>type</code> points at its row here, e.g.{" "}
          <code className={codeClass}>/api-docs#{errorAnchor("VALIDATION_FAILED")}</code>.
        </p>
      </Prose>
      <ErrorTable errors={errorCodes} codes={codes} />
    </Section>
  );
}

export function Schemas({ doc, codes }: { doc: OpenApiDocument; codes: Set<string> }) {
  const schemas = Object.entries(doc.components?.schemas ?? {});
  const text = (value: string) => <RichText text={value} codes={codes} />;
  return (
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
