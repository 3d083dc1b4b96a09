// How a command fails: a usage error (exit 2: fix the command line) or a runtime failure (exit 1: the
// command was well formed but could not be done). Both are sentences for a person, never a stack trace.

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Every problem with the command line, found before anything was done. */
export class UsageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** A well-formed command that could not be carried out (no such user, a file in the way, …). */
export class Failure extends Error {}

/** Throws one UsageError naming every problem found, or returns when there are none. */
export function refuseProblems(problems: string[]): void {
  if (problems.length) throw new UsageError(problems);
}
