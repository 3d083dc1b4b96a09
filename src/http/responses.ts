// Response schemas shared by route groups (they document the API; see app.ts for why they do not validate).
import { z } from 'zod';

export const errorShape = z.object({
  message: z.string(),
  status: z.number().int(),
  code: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const errorResponses = { 400: errorShape, 401: errorShape, 403: errorShape, 404: errorShape };

export const okMessage = z.object({ message: z.string() });
