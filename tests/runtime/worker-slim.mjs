// workerd: the slim entry bundled with the runtime's conditions; answers GET /vectors.
import * as calhook from 'calhook/signature';
import suites from './vectors-data.mjs';
import { runVectors } from './vectors.mjs';
import { slimSuites } from './slim-vectors.mjs';

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/vectors') return Response.json(runVectors(calhook, slimSuites(suites)));
    return new Response('not found', { status: 404 });
  },
};
