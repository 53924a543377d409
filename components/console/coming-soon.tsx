import type { ReactNode } from "react";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

export interface ComingSoonProps {
  title: ReactNode;
  description: ReactNode;
  eyebrow?: ReactNode;
  /** what brings the screen, e.g. "the bookings search and list" */
  arrivesWith: string;
  issue: number;
}

/** A route that exists (and is guarded) before its screen does. */
export function ComingSoon({ title, description, eyebrow, arrivesWith, issue }: ComingSoonProps) {
  return (
    <>
      <PageHeader title={title} description={description} eyebrow={eyebrow} />
      <Card>
        <CardBody className="py-10 text-center">
          <p className="text-base font-medium text-slate-900" data-testid="coming-soon">
            This screen arrives with {arrivesWith} (issue #{issue}).
          </p>
        </CardBody>
      </Card>
    </>
  );
}
