// Types of `calhook/testing`.
import type { CalTrigger, Dialect } from './index.js';

/** Options of {@link signedDelivery} and {@link signedRequest}. */
export interface SignedDeliveryOptions {
  /** The webhook's secret; absent or empty signs as Cal.com does without one: `no-secret-provided`. */
  secret?: string | null;
  /** Where the request goes (default `http://localhost/webhooks/cal`). */
  url?: string | URL;
  /** The event's payload (default: a realistic sample for the trigger, from samplePayload). */
  payload?: unknown;
  /** The webhook's `payloadTemplate`. */
  template?: string | null;
  /** Adds `X-Cal-Webhook-Version` (the defined value is `2021-10-20`). */
  version?: string | null;
  /** ISO-8601 with milliseconds and `Z` (default: now). */
  createdAt?: string;
  dialect?: Dialect;
}

/** A delivery for Node frameworks (supertest, `app.inject`): the body as the exact string. */
export interface SignedDelivery {
  method: 'POST';
  url: string;
  /** `Content-Type`, `X-Cal-Signature-256`, and with a version `X-Cal-Webhook-Version`. */
  headers: Record<string, string>;
  body: string;
}

/** What Cal.com sends for `trigger`, byte for byte, as `{ method, url, headers, body }`. */
export declare function signedDelivery(trigger: CalTrigger | (string & {}), options?: SignedDeliveryOptions): SignedDelivery;

/** The same delivery as a Fetch API `Request`. */
export declare function signedRequest(trigger: CalTrigger | (string & {}), options?: SignedDeliveryOptions): Request;
