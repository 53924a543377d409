import Link from "next/link";
import { buttonClassName } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";

/** Rendered (with HTTP 403) when a console page calls forbidden(). */
export default function Forbidden() {
  return (
    <Card className="mx-auto mt-10 max-w-xl">
      <CardBody className="py-10 text-center">
        <p className="text-sm font-semibold text-red-800">403 · Forbidden</p>
        <h1 className="mt-2 text-xl font-semibold text-slate-900">You don&apos;t have access to this page</h1>
        <p className="mt-2 text-sm text-slate-600">
          Your role does not include it. If you need it for your work, ask an admin to change your role.
        </p>
        <Link href="/inventory" className={buttonClassName("secondary", "md", "mt-6")}>
          Back to inventory
        </Link>
      </CardBody>
    </Card>
  );
}
