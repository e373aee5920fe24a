// Deno: a Cal.com webhook endpoint on 127.0.0.1; prints the port once listening.
import { handle } from './handler.mjs';

const port = Number(Deno.args[0]);
Deno.serve({ hostname: '127.0.0.1', port, onListen: () => console.log(`listening ${port}`) }, handle);
