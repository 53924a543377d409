import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { constraintsOf, isClosed, refName, schemaAnchor, scopeOf, typeLabel, type OpenApiDocument, type OperationView } from "./openapi-model";
import { Cell, FieldTable, SimpleTable } from "./reference-tables";
import { anchorTarget, CodeBlock, Described, link, MethodBadge, RequiredMark, RichText, StatusBadge, SubHeading } from "./reference-ui";

/** One endpoint of the reference: what it does, its parameters, request body, responses and a working example. */
export function Operation({ doc, op, codes, example }: { doc: OpenApiDocument; op: OperationView; codes: Set<string>; example: string }) {
  return (
    <article
      id={op.anchor}
      aria-labelledby={`${op.anchor}-title`}
      className={cx("rounded-lg border border-slate-200 bg-white shadow-sm", anchorTarget)}
      data-testid="operation"
    >
      <OperationHeader op={op} codes={codes} />
      <div className="space-y-5 px-5 py-4">
        <Parameters op={op} codes={codes} />
        <RequestBody doc={doc} op={op} codes={codes} />
        <Responses op={op} codes={codes} />
        <ResponseFields doc={doc} op={op} codes={codes} />
        <CodeBlock label="Example" copy={example}>
          {example}
        </CodeBlock>
      </div>
    </article>
  );
}

function OperationHeader({ op, codes }: { op: OperationView; codes: Set<string> }) {
  const scope = scopeOf(op);
  const description = op.description.replace(/^Scope `[a-z]+:[a-z]+`\.\s*/, "");
  return (
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
  );
}

function Parameters({ op, codes }: { op: OperationView; codes: Set<string> }) {
  if (!op.parameters.length) return null;
  return (
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
  );
}

function RequestBody({ doc, op, codes }: { doc: OpenApiDocument; op: OperationView; codes: Set<string> }) {
  if (!op.requestBody) return null;
  return (
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
  );
}

function Responses({ op, codes }: { op: OperationView; codes: Set<string> }) {
  return (
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
  );
}

/** The fields of each success response, folded away. */
function ResponseFields({ doc, op, codes }: { doc: OpenApiDocument; op: OperationView; codes: Set<string> }) {
  const success = op.responses.filter((r) => r.status.startsWith("2"));
  return (
    <>
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
    </>
  );
}
