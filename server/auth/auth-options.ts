import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { requireSetting } from "../config";
import { logger } from "../observability/logger";
import { authenticateUser } from "../domain/users/authenticate-user";
import { recordSignOut } from "../domain/users/record-sign-out";
import { requestMetaFrom } from "./request-meta";
import { SIGN_IN_ERROR } from "@/shared/sign-in-errors";

/**
 * next-auth v4: email + password (credentials) and a JWT session that carries only the
 * user id. Who the user is (active? role? facilities?) is read from the database on
 * every request by getCurrentUser(), never trusted from the token.
 */

/** A console shift and then some; the user row is re-checked on every request anyway. */
const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

let cached: NextAuthOptions | undefined;

/** Built on first use, so that `next build` needs no secrets. */
export function getAuthOptions(): NextAuthOptions {
  cached ??= buildAuthOptions(requireSetting("NEXTAUTH_SECRET"));
  return cached;
}

function buildAuthOptions(secret: string): NextAuthOptions {
  return {
    secret,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 60 * 60 },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          const meta = requestMetaFrom(req.headers ?? {});
          const outcome = await authenticateUser({
            email: credentials?.email ?? "",
            password: credentials?.password ?? "",
            ...meta,
          });
          if (outcome.ok) return { id: outcome.user.id, name: outcome.user.name, email: outcome.user.email };
          // next-auth hands a thrown message to the login form as ?error=<message>.
          if (outcome.reason === "RATE_LIMITED") throw new Error(SIGN_IN_ERROR.RATE_LIMITED);
          return null;
        },
      }),
    ],
    callbacks: {
      // The token carries the user id and when they signed in, nothing else (no name,
      // email or role); the sign-in time survives the token's refreshes, so ending a
      // user's sessions (loadSessionUser) ends this one.
      async jwt({ token, user }) {
        return { sub: user?.id ?? token.sub, signedInAt: user ? Date.now() : token.signedInAt };
      },
      async session({ session, token }) {
        return { expires: session.expires, user: { id: token.sub }, signedInAt: token.signedInAt } as typeof session;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sub === "string") await recordSignOut(token.sub, requestMetaFrom({}).correlationId);
      },
    },
    logger: {
      error(code, metadata) {
        const err = metadata instanceof Error ? metadata : (metadata as { error?: unknown }).error;
        logger.error({ code, err }, "next-auth error");
      },
      warn(code) {
        logger.warn({ code }, "next-auth warning");
      },
      debug() {},
    },
  };
}
