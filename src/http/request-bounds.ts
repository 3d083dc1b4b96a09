// Two bounds on every request value, checked once for body, query and path parameters, before
// validation: no NUL characters (PostgreSQL cannot store them in text, and no legitimate value here
// contains one), and no nesting deeper than any request of this API needs. The walk is iterative, so a
// hostile "[[[[…" of any depth is a 400, never a stack overflow.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../domain/errors.ts';

/** The deepest any request body here goes is 2 (an app's redirectUris); 32 leaves room and stops abuse. */
export const MAX_DEPTH = 32;

type Problem = { path: string; message: string };

function inspect(root: unknown): Problem | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\0')) return { path, message: 'must not contain NUL characters' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    // Named by where it starts, not by a path of dozens of segments.
    if (depth >= MAX_DEPTH) return { path: '', message: `must not nest deeper than ${MAX_DEPTH} levels` };
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes('\0')) return { path, message: 'must not contain NUL characters' };
      stack.push({ value: inner, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
  return null;
}

/** A preValidation hook, callback-style: it runs on every request, and an async hook costs a promise each. */
export function checkRequestBounds(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  for (const [where, value] of [['body', request.body], ['query', request.query], ['path', request.params]] as const) {
    const problem = inspect(value);
    if (problem !== null) return done(new ValidationError([{ path: problem.path || where, message: problem.message }]));
  }
  done();
}
