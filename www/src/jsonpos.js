// Where each value of a JSON text is: a map from JS-style paths (`triggers[0]`, `a.b`,
// `["odd key"]`) to `{ from, to, keyFrom?, keyTo? }` UTF-16 offsets. Tolerant: stops quietly at
// the first syntax error (positions found so far are kept).

const IDENT = /^[A-Za-z_$][\w$]*$/;

export function pathJoin(base, key) {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (IDENT.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

export function jsonPositions(text) {
  const map = new Map();
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const fail = () => {
    throw new Error('stop');
  };
  const str = () => {
    const start = i;
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return { start, end: i, value: JSON.parse(text.slice(start, i)) };
  };
  const value = (path, key) => {
    ws();
    const from = i;
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') i++;
      else
        for (;;) {
          ws();
          const k = str();
          ws();
          if (text[i] !== ':') fail();
          i++;
          value(pathJoin(path, k.value), k);
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === '}') {
            i++;
            break;
          }
          fail();
        }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') i++;
      else
        for (let n = 0; ; n++) {
          value(pathJoin(path, n));
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ']') {
            i++;
            break;
          }
          fail();
        }
    } else if (c === '"') str();
    else {
      const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
      if (!m) fail();
      i += m[0].length;
    }
    map.set(path, { from, to: i, keyFrom: key?.start, keyTo: key?.end });
  };
  try {
    value('');
  } catch {
    /* keep what was found */
  }
  return map;
}

/** The best range for an issue at `path`: the value, else its nearest existing ancestor. */
export function locate(map, path) {
  let p = path ?? '';
  for (;;) {
    const hit = map.get(p);
    if (hit) return { ...hit, exact: p === path };
    if (!p) return null;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
}

/** Line (1-based) and column (1-based) of a UTF-16 offset. */
export function lineCol(text, offset) {
  let line = 1;
  let last = -1;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      last = k;
    }
  }
  return { line, column: offset - last };
}
