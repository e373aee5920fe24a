// Node CommonJS: require the slim entry (`calhook/signature`, the `require` condition).
const calhook = require('calhook/signature');

(async () => {
  const { runVectors } = await import('./vectors.mjs');
  const { slimSuites } = await import('./slim-vectors.mjs');
  const { default: suites } = await import('./vectors-data.mjs');
  console.log(JSON.stringify(runVectors(calhook, slimSuites(suites))));
})();
