/**
 * The exit code of a command that finished but must not exit 0 (`process`
 * with layer errors: 3; interrupted: 130). Errors carry their own code
 * (UserError); main() returns this one after a command that did not throw.
 */
let code = 0;

export function setExitCode(value: number): void {
  code = value;
}

export function finishedExitCode(): number {
  return code;
}
