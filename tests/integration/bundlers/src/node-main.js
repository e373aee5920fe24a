// A Node program bundled with calhook (esbuild / bun build for the node platform).
import * as calhook from 'calhook';
import { exercise } from './vector.js';

process.stdout.write(JSON.stringify(exercise(calhook)));
