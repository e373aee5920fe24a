import { sign } from 'calhook';

// A server component: rendered by the Node runtime at build time.
export default function Page() {
  return <p id="sig">{sign('{"a":1}', 'secret')}</p>;
}
