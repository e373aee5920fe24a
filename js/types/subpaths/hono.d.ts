// Types of `calhook/hono`. No dependency on hono: the Context is described structurally.

/** Use as `new Hono<{ Variables: CalhookVariables }>()` so `c.get('calhook')` is typed. */
export type CalhookVariables = { calhook: WebhookEvent };

/** The part of Hono's Context the middleware uses. */
export interface HonoContextLike {
  req: { raw: Request; bodyCache?: Record<string, unknown> };
  set(key: 'calhook', value: WebhookEvent): void;
  body(data: null, status: number): Response;
}

/**
 * A Hono middleware: verifies the raw body, sets `c.get('calhook')` and calls `next()`; or,
 * with `handler`, returns what it returns (default: 200, empty). Failures return
 * errorResponse's Response.
 */
export declare function calhook<C extends HonoContextLike = any>(
  secretOrOptions: SecretSource | AdapterOptions,
  handler?: (event: WebhookEvent, c: C) => Response | void | Promise<Response | void>,
): (c: C, next: () => Promise<void>) => Promise<Response | void>;
