import { Fragment, type ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import type { listOperations } from "./openapi-model";
import { OPENAPI_JSON } from "./reference-ui";

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

/** The side bar: the guide's sections, every endpoint by tag, and the reference tables. */
export function ReferenceToc({ groups }: { groups: ReturnType<typeof listOperations> }) {
  return (
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
