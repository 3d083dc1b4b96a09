// The paging parameters of the activity log, read by GET /api/audit and the Activity page alike.
import { z } from 'zod';

export const activityQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().regex(/^[1-9]\d{0,15}$/, { error: 'must be the nextCursor of a previous page' }).transform(Number).optional(),
});
