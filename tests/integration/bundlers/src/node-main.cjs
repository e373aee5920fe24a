// A CommonJS Node program bundled with calhook.
const calhook = require('calhook');
const { exercise } = require('./vector.cjs');

process.stdout.write(JSON.stringify(exercise(calhook)));
