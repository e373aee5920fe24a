// The subpaths' CommonJS declarations (.d.cts) as a require() TypeScript user sees them.
import testing = require('calhook/testing');
import express = require('calhook/express');
import hono = require('calhook/hono');
import next = require('calhook/next');

const d: testing.SignedDelivery = testing.signedDelivery('BOOKING_CREATED', { secret: 's' });
const mw: express.CalhookMiddleware = express.calhook('s');
const h = hono.calhook('s');
const POST = next.calhook('s', async (event: next.WebhookEvent) => new Response(String(event.triggerEvent)));
void [d, mw, h, POST];
