// Node CommonJS: require the package by name (the `require` condition), run every vector.
const calhook = require('calhook');

(async () => {
  const { runVectors } = await import('./vectors.mjs');
  const { default: suites } = await import('./vectors-data.mjs');
  console.log(JSON.stringify(runVectors(calhook, suites)));
})();
