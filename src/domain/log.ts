// The logger the layers below http/ are given: pino's call shape (Fastify's app.log fits it), so the
// process that composes them decides where lines go and in what form.
export interface Log {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The default for a process that hands none (the CLI): one JSON line per entry on stderr, in pino's fields. */
export const stderrLog: Log = {
  warn: (fields, message) => writeLine(40, fields, message),
  error: (fields, message) => writeLine(50, fields, message),
};

function writeLine(level: number, fields: object, msg: string): void {
  process.stderr.write(`${JSON.stringify({ level, time: Date.now(), ...fields, msg })}\n`);
}
