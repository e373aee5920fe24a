// The app lives inside the test project, whose node_modules it uses.
export default { turbopack: { root: new URL('..', import.meta.url).pathname } };
