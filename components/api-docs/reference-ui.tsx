import { Fragment, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { errorAnchor } from "./openapi-model";

/** The API reference's small pieces: text with linked codes, badges, sections, code blocks. */

export const OPENAPI_JSON = "/api/v1/openapi.json";

const METHOD_TONES: Record<string, string> = {
  get: "bg-sky-100 text-sky-900 ring-sky-300",
  post: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  put: "bg-amber-100 text-amber-900 ring-amber-300",
  patch: "bg-amber-100 text-amber-900 ring-amber-300",
  delete: "bg-red-100 text-red-900 ring-red-300",
};

export const anchorTarget = "scroll-mt-20";
export const link = cx("rounded-sm font-medium text-indigo-800 underline decoration-indigo-300 underline-offset-2 hover:decoration-indigo-700", focusRing);

export const codeClass = "rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em] text-slate-900";

/** Inline `code` in backticks, and error codes linked to their row in the table. */
export function RichText({ text, codes }: { text: string; codes: Set<string> }) {
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

export function Described({ description, constraints, codes }: { description?: string; constraints: string[]; codes: Set<string> }) {
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

export function RequiredMark({ required }: { required: boolean }) {
  return required ? (
    <span className="text-xs font-semibold text-red-800">required</span>
  ) : (
    <span className="text-xs text-slate-500">optional</span>
  );
}

export function MethodBadge({ method }: { method: string }) {
  return (
    <span className={cx("inline-flex w-14 justify-center rounded px-1.5 py-0.5 font-mono text-xs font-bold uppercase ring-1 ring-inset", METHOD_TONES[method])}>
      {method}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const tone = status.startsWith("2") ? "success" : status.startsWith("5") ? "danger" : "warning";
  return (
    <Badge tone={tone} className="font-mono">
      {status}
    </Badge>
  );
}

export function ErrorLink({ code, status }: { code: string; status: number }) {
  return (
    <a href={`#${errorAnchor(code)}`} className={link}>
      {status} <span className="font-mono text-[0.85em]">{code}</span>
    </a>
  );
}

export function Section({ id, title, level = 2, children }: { id: string; title: ReactNode; level?: 1 | 2; children: ReactNode }) {
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

export function Prose({ children }: { children: ReactNode }) {
  return <div className="space-y-3 text-[15px] leading-relaxed text-slate-800 [&_li]:ml-5 [&_li]:list-disc [&_ul]:space-y-1.5">{children}</div>;
}

export function SubHeading({ children }: { children: ReactNode }) {
  return <h4 className="mb-2 text-sm font-semibold text-slate-900">{children}</h4>;
}

export function CodeBlock({ label, copy, children }: { label: string; copy?: string; children: ReactNode }) {
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
