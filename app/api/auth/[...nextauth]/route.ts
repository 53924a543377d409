import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { getAuthOptions } from "@/server/auth/auth-options";
import { guardAuthRequest } from "@/server/http/auth-request-guard";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// The options are built per call (from the validated environment), not at import, so
// that `next build` needs no secrets.
async function handler(req: NextRequest, context: RouteContext): Promise<Response> {
  const refused = await guardAuthRequest(req, (await context.params).nextauth ?? []);
  if (refused) return refused;
  return NextAuth(req, context, getAuthOptions());
}

export { handler as GET, handler as POST };
