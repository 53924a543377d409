import type { PrismaClient } from "../../generated/prisma/client";

/** What a domain service receives inside `db.$transaction(async (tx) => …)`. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
