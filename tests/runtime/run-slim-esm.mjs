// Node ESM and Deno: the slim entry by name (`calhook/signature`), every signature vector.
import * as calhook from 'calhook/signature';
import suites from './vectors-data.mjs';
import { runVectors } from './vectors.mjs';
import { slimSuites } from './slim-vectors.mjs';

await calhook.ready();
console.log(JSON.stringify(runVectors(calhook, slimSuites(suites))));
