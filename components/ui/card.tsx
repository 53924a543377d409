import type { HTMLAttributes, ReactNode } from "react";
import { cx } from "./cx";

export function Card({ className, ...props }: HTMLAttributes<HTMLElement>) {
  return <section className={cx("rounded-lg border border-slate-200 bg-white shadow-sm", className)} {...props} />;
}

export interface CardHeaderProps {
  title: ReactNode;
  /** heading level of the title; h2 by default */
  as?: "h2" | "h3";
  description?: ReactNode;
  actions?: ReactNode;
  className?: string;
  id?: string;
}

export function CardHeader({ title, as: Heading = "h2", description, actions, className, id }: CardHeaderProps) {
  return (
    <header
      className={cx("flex flex-wrap items-start justify-between gap-x-6 gap-y-2 border-b border-slate-200 px-4 py-4", className)}
    >
      <div className="min-w-0">
        <Heading id={id} className="text-base font-semibold text-slate-900">
          {title}
        </Heading>
        {description ? <div className="mt-1 text-sm text-slate-600">{description}</div> : null}
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
    </header>
  );
}

export function CardBody({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return <div className={cx("px-4 py-4", className)} {...props} />;
}

export interface PanelProps {
  /** the heading's id; the card is labelled by it */
  headingId: string;
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}

/** A card named by its heading, with a description kept to a readable width and actions on the right. */
export function Panel({ headingId, title, description, actions, children }: PanelProps) {
  return (
    <Card aria-labelledby={headingId}>
      <CardHeader
        id={headingId}
        title={title}
        description={description ? <span className="block max-w-2xl">{description}</span> : undefined}
        actions={actions}
      />
      {children}
    </Card>
  );
}
