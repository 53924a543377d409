import Link from "next/link";
import { buttonClassName } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-indigo-700">404</p>
        <h1 className="mt-2 text-2xl font-semibold text-slate-900">Page not found</h1>
        <p className="mt-2 text-slate-600">There is nothing at this address.</p>
        <Link href="/inventory" className={buttonClassName("secondary", "md", "mt-6")}>
          Go to the console
        </Link>
      </div>
    </main>
  );
}
