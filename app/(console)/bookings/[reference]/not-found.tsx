import Link from "next/link";
import { buttonClassName } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";

/** An unknown booking reference, or one outside a site manager's facilities: the same answer. */
export default function BookingNotFound() {
  return (
    <Card className="mx-auto mt-10 max-w-xl">
      <CardBody className="py-10 text-center">
        <p className="text-sm font-semibold text-slate-600">404 · Not found</p>
        <h1 className="mt-2 text-xl font-semibold text-slate-900">We couldn&apos;t find that</h1>
        <p className="mt-2 text-sm text-slate-600">
          No booking has that reference, or it belongs to a facility you can&apos;t see.
        </p>
        <Link href="/bookings" className={buttonClassName("secondary", "md", "mt-6")}>
          Back to bookings
        </Link>
      </CardBody>
    </Card>
  );
}
