import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { buttonClassName } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { curlExample, type ExampleContext } from "./curl-example";
import { listOperations, type OpenApiDocument } from "./openapi-model";
import { Operation } from "./operation";
import { ReferenceGuide } from "./reference-guide";
import { ErrorCodes, EventTypes, Schemas } from "./reference-sections";
import { ReferenceToc } from "./reference-toc";
import { anchorTarget, OPENAPI_JSON } from "./reference-ui";

/**
 * The partner API reference, rendered from the OpenAPI document the server generates
 * from its own validators (server/http/openapi.ts): nothing here is written twice
 * except prose. A server component: static HTML, no scripts or fonts from elsewhere.
 * Its parts: reference-toc (the side bar), reference-guide, operation (one endpoint),
 * reference-sections (events, errors, schemas), built from reference-tables and reference-ui.
 */

/** What the page's examples need from the request that rendered it (app/api-docs/page.tsx). */
export interface PageExamples extends ExampleContext {
  /** the origin the page was requested at: the API's base URL */
  origin: string;
  /** the demo data's partner key, when this is a demo install (README.md); null elsewhere */
  demoKey: string | null;
}

export function ApiReference({ document: doc, examples }: { document: OpenApiDocument; examples: PageExamples }) {
  const groups = listOperations(doc);
  const codes = new Set((doc["x-error-codes"] ?? []).map((e) => e.code));
  return (
    <div className="min-h-screen bg-white">
      <SiteHeader version={doc.info.version} />

      <div className="mx-auto flex max-w-[1440px]">
        <ReferenceToc groups={groups} />

        <main id="main" className="min-w-0 flex-1 px-6 py-8 lg:px-12">
          <div className="max-w-4xl space-y-14">
            <ReferenceGuide doc={doc} examples={examples} codes={codes} />
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
            <EventTypes doc={doc} codes={codes} />
            <ErrorCodes doc={doc} codes={codes} />
            <Schemas doc={doc} codes={codes} />
          </div>
        </main>
      </div>
    </div>
  );
}

function SiteHeader({ version }: { version: string }) {
  return (
    <header className="sticky top-0 z-20 flex h-14 items-center justify-between gap-4 border-b border-slate-200 bg-white/95 px-5 backdrop-blur">
      <div className="flex items-center gap-3">
        <span aria-hidden="true" className="grid h-7 w-7 place-items-center rounded-md bg-indigo-700 text-sm font-bold text-white">
          H
        </span>
        <span className="font-semibold text-slate-900">Holdfast</span>
        <span className="text-sm text-slate-600">Partner API reference</span>
        <Badge tone="neutral" className="font-mono">
          v{version}
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
  );
}
