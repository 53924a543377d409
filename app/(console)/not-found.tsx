import Link from "next/link";
import { buttonClassName } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";

/** Rendered (with HTTP 404) for a record that does not exist or is outside the user's facilities. */
export default function ConsoleNotFound() {
  return (
    <Card className="mx-auto mt-10 max-w-xl">
      <CardBody className="py-10 text-center">
        <p className="text-sm font-semibold text-slate-600">404 · Not found</p>
        <h1 className="mt-2 text-xl font-semibold text-slate-900">We couldn&apos;t find that</h1>
        <p className="mt-2 text-sm text-slate-600">It does not exist, or it belongs to a facility you can&apos;t see.</p>
        <div className="mt-6 flex justify-center gap-3">
          <Link href="/bookings" className={buttonClassName("secondary", "md")}>
            Bookings
          </Link>
          <Link href="/inventory" className={buttonClassName("secondary", "md")}>
            Inventory
          </Link>
        </div>
      </CardBody>
    </Card>
  );
}
