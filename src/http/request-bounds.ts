// NUL characters are refused everywhere: PostgreSQL cannot store them in text, and no legitimate
// value here contains one. Checked once for body, query and path parameters, before validation.
import type { FastifyRequest } from 'fastify';
import { ValidationError } from '../domain/errors.ts';

function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\0') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\0')) return path;
    const found = findNul(inner, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

export async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  for (const [where, value] of [['body', request.body], ['query', request.query], ['path', request.params]] as const) {
    const path = findNul(value, '');
    if (path !== null) throw new ValidationError([{ path: path || where, message: 'must not contain NUL characters' }]);
  }
}
