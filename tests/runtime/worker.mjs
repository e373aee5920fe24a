// workerd: bundled with the `workerd` condition as wrangler does; answers GET /vectors.
import * as calhook from 'calhook';
import suites from './vectors-data.mjs';
import { runVectors } from './vectors.mjs';

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/vectors') return Response.json(runVectors(calhook, suites));
    return new Response('not found', { status: 404 });
  },
};
