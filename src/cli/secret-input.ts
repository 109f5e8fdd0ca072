/**
 * A secret's value as `secrets set` reads it: from stdin when it is piped (`pass show x | shelfwise secrets set X`),
 * or typed at a prompt that does not echo it on a terminal. Never from the command line, where `ps` and the shell's
 * history show it.
 */
import { EXIT } from "../app/exit-codes.js";
import { MAX_SECRET_BYTES } from "./secret-names.js";
import { UserError } from "./errors.js";

export async function readSecretValue(name: string): Promise<string> {
  return process.stdin.isTTY ? promptHidden(`value for secret ${name} (not shown; Enter ends it): `) : readPiped();
}

/** stdin whole, less the one line break a pipe (`echo`, a here-string) ends it with. */
async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    // More than any key: stop reading (a file piped by mistake), the value check refuses it.
    if (size > MAX_SECRET_BYTES) break;
  }
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  // Echo off before the prompt shows: text typed (or pasted) the instant it appears would be echoed by the
  // terminal's cooked mode otherwise (seen in test/cli/settings-commands.test.ts under load).
  input.setRawMode(true);
  process.stderr.write(prompt);
  input.resume();
  input.setEncoding("utf8");
  let value = "";
  return new Promise((resolve, reject) => {
    const done = (error: Error | null) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (text: string) => {
      for (const ch of text) {
        if (ch === "\r" || ch === "\n") return done(null);
        // Raw mode takes Ctrl-C from the terminal's driver: it is ours to honour.
        if (ch === "\u0003") return done(new UserError("interrupted at the prompt: nothing was changed", EXIT.interrupted));
        if (ch === "\u0004") {
          if (value === "") return done(null);
          continue;
        }
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else if (ch === "\u0015") value = "";
        else if (ch >= " " || ch === "\t") value += ch;
      }
    };
    input.on("data", onData);
  });
}
