// Node ESM and Deno: import the package by name, run every vector, print the results as JSON.
import * as calhook from 'calhook';
import suites from './vectors-data.mjs';
import { runVectors } from './vectors.mjs';

await calhook.ready();
console.log(JSON.stringify(runVectors(calhook, suites)));
