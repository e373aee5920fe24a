// Express 5, as the README shows it: the raw body, a Verifier built once from the environment.
import express from 'express';
import { Verifier } from 'calhook';

const verifier = new Verifier(process.env.CAL_WEBHOOK_SECRET); // throws NO_RECEIVER_SECRET when unset
const app = express();
app.post('/webhooks/cal', express.raw({ type: '*/*' }), (req, res) => {
  // req.body is undefined for a request without a body: verify() is then false (401), not a 500.
  if (!verifier.verify(req.body, req.headers['x-cal-signature-256'])) return res.status(401).end();
  const event = JSON.parse(req.body.toString('utf8'));
  res.status(200).send(`express ok ${event.triggerEvent}`);
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
