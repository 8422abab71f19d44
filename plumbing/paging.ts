import * as z from 'zod';

/**
 * The query fields of a paged list route: `limit` (1..maxLimit) and an opaque
 * `nextToken`, the base64url JSON of the page's last position, checked
 * against the position's schema so a forged or garbled token is a 400 naming
 * nextToken. `encode` makes the token the route answers with.
 */
export function pagingQuery<P extends z.ZodType<object>>(position: P, maxLimit: number) {
  const decode = (token: string): z.output<P> | undefined => {
    try {
      const parsed = position.safeParse(
        JSON.parse(Buffer.from(token, 'base64url').toString('utf8')),
      );
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    encode: (p: z.output<P>) => Buffer.from(JSON.stringify(p), 'utf8').toString('base64url'),
    fields: {
      limit: z
        .string()
        .regex(/^\d{1,3}$/, `limit must be a whole number from 1 to ${maxLimit}`)
        .transform(Number)
        .pipe(z.number().int().min(1).max(maxLimit))
        .optional(),
      nextToken: z
        .string()
        .max(1000)
        .transform((token, ctx) => {
          const decoded = decode(token);
          if (decoded === undefined) {
            ctx.issues.push({
              code: 'custom',
              input: token,
              message: 'nextToken must be the nextToken of a previous page, passed back unchanged',
            });
            return z.NEVER;
          }
          return decoded;
        })
        .optional(),
    },
  };
}
