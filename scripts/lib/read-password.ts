/**
 * Reading a password for a command-line tool (npm run admin:create): typed at a terminal
 * with nothing echoed, or one line of standard input for scripts and CI
 * (docs/operations.md#going-live). Nothing here logs or prints what was read.
 */

export class PasswordInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PasswordInputError";
  }
}

/** Asks on the terminal with echo off; Ctrl+C stops the command (exit 130), Ctrl+D on an empty line refuses. */
export function promptHidden(prompt: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  return new Promise((resolve, reject) => {
    let typed = "";
    // echo off before the prompt shows, so nothing typed after it is echoed
    input.setRawMode(true);
    output.write(prompt);
    input.setEncoding("utf8");
    input.resume();
    const finish = (outcome: () => void) => {
      input.removeListener("data", onData);
      input.setRawMode(false);
      input.pause();
      output.write("\n");
      outcome();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return finish(() => resolve(typed));
        if (char === "\u0003") return finish(() => process.exit(130));
        if (char === "\u0004") {
          if (!typed) return finish(() => reject(new PasswordInputError("No password was typed.")));
          continue;
        }
        if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
        else if (char >= " ") typed += char;
      }
    };
    input.on("data", onData);
  });
}

/** The password as one line of standard input (the newline that ends it is not part of it). */
export async function readPasswordLine(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  let text = "";
  for await (const chunk of input) text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  const password = text.replace(/\r?\n$/, "");
  if (/[\r\n]/.test(password)) throw new PasswordInputError("--password-stdin reads one line: standard input had several.");
  return password;
}

/**
 * The new password: from standard input with `fromStdin`, else asked twice at the terminal.
 * Without a terminal and without --password-stdin, it refuses rather than wait for input
 * that will never come.
 */
export async function readNewPassword(options: { fromStdin: boolean }): Promise<string> {
  if (options.fromStdin) return readPasswordLine();
  if (!process.stdin.isTTY) {
    throw new PasswordInputError("No terminal to ask for the password on: pass --password-stdin and write the password to standard input.");
  }
  const first = await promptHidden("Password: ");
  const second = await promptHidden("Password again: ");
  if (first !== second) throw new PasswordInputError("The two passwords differ; nothing was changed.");
  return first;
}
