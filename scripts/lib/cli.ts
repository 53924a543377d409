import { DatabaseStartupError, resolveDatabase, type ResolvedDatabase } from "../../server/database/embedded";
import { ConfigError, debugRequested } from "../../server/config";

/** Runs a script's main with one clear sentence on failure instead of a stack trace. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      // Configuration and database problems are the user's to fix: one sentence, never a stack.
      if (error instanceof DatabaseStartupError || error instanceof ConfigError) {
        console.error(`\n✖ ${error.message}`);
      } else if (debugRequested()) {
        console.error(error);
      } else {
        console.error(`\n✖ ${error instanceof Error ? error.message : String(error)}`);
      }
      process.exit(1);
    },
  );
}

/** The database for a script: DATABASE_URL, or the embedded server (started if needed). */
export async function scriptDatabase(): Promise<ResolvedDatabase> {
  return resolveDatabase({ log: () => undefined });
}
