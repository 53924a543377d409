"use client";

import { signIn } from "next-auth/react";
import { useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { signInErrorMessage } from "@/shared/sign-in-errors";

const inputClass = cx(
  "mt-1 block h-10 w-full rounded-md border border-slate-300 bg-white px-3 text-slate-900 shadow-sm",
  "placeholder:text-slate-500 aria-invalid:border-red-600",
  focusRing,
);

export function LoginForm({ callbackPath, initialError }: { callbackPath: string; initialError: string | null }) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
        callbackUrl: callbackPath,
      });
      if (result?.ok && !result.error) {
        // A full navigation, so every server component renders as the new user.
        window.location.assign(callbackPath);
        return;
      }
      setError(signInErrorMessage(result?.error ?? "Unknown"));
    } catch {
      setError("The server could not be reached. Check your connection and try again.");
    }
    setPending(false);
    if (passwordRef.current) {
      passwordRef.current.value = "";
      passwordRef.current.focus();
    }
  }

  return (
    <form onSubmit={onSubmit} aria-describedby={error ? "login-error" : undefined}>
      {error ? (
        <p id="login-error" role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
          {error}
        </p>
      ) : null}
      <div className="space-y-4">
        <div>
          <label htmlFor="email" className="block text-sm font-medium text-slate-800">
            Email
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            className={inputClass}
          />
        </div>
        <div>
          <label htmlFor="password" className="block text-sm font-medium text-slate-800">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            ref={passwordRef}
            aria-invalid={error ? true : undefined}
            className={inputClass}
          />
        </div>
      </div>
      <Button type="submit" className="mt-6 w-full" disabled={pending} aria-busy={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
