/** Exit codes (../shared/docs/cli-conventions.md): 0 ok, 1 a check that ran and failed, 2 bad input, 3 unreachable. */
export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, unreachable: 3 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
