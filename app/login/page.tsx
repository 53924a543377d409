import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { getCurrentUser } from "@/server/auth/session";
import { safeCallbackPath, signInErrorMessage } from "@/shared/sign-in-errors";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(first(params.callbackUrl));
  // Already signed in (and still active): nothing to do here.
  if (await getCurrentUser()) redirect(callbackPath);

  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <p className="text-2xl font-bold tracking-tight text-slate-900">Holdfast</p>
          <h1 className="mt-1 text-sm text-slate-600">Sign in to the operations console</h1>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <LoginForm callbackPath={callbackPath} initialError={signInErrorMessage(first(params.error))} />
        </div>
      </div>
    </main>
  );
}
