import type { Session, User } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configure } from "../config";
import { getAuthOptions } from "./auth-options";

/**
 * The session token's contents: the user id and the sign-in time, which must survive the
 * token's refreshes — ending a user's sessions (loadSessionUser) compares against it.
 */
let undo: () => void;
beforeAll(() => {
  undo = configure({ NEXTAUTH_SECRET: "s".repeat(32) });
});
afterAll(() => undo());

type JwtCallback = (params: { token: JWT; user?: User }) => Promise<JWT>;
type SessionCallback = (params: { session: Session; token: JWT }) => Promise<Session & { signedInAt?: number }>;

describe("the console session token", () => {
  it("records the sign-in time once, keeps it on every refresh, and hands it to the session; nothing else is carried", async () => {
    const callbacks = getAuthOptions().callbacks!;
    const jwt = callbacks.jwt as unknown as JwtCallback;
    const session = callbacks.session as unknown as SessionCallback;
    const before = Date.now();
    const signedIn = await jwt({ token: { sub: undefined }, user: { id: "u-1", email: "a@b.c", name: "A" } as User });
    expect(signedIn.sub).toBe("u-1");
    expect(signedIn.signedInAt).toBeGreaterThanOrEqual(before);
    expect(Object.keys(signedIn).sort()).toEqual(["signedInAt", "sub"]);

    const refreshed = await jwt({ token: { ...signedIn, iat: 1, exp: 2 } });
    expect(refreshed).toEqual({ sub: "u-1", signedInAt: signedIn.signedInAt });

    const view = await session({ session: { expires: "2030-01-01T00:00:00.000Z" } as Session, token: refreshed });
    expect(view).toEqual({ expires: "2030-01-01T00:00:00.000Z", user: { id: "u-1" }, signedInAt: signedIn.signedInAt });
  });
});
