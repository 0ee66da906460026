// A small JavaScript / TypeScript / TSX reader: just enough to find the object literals
// of a theme or a component and the simple values their properties hold. It tokenizes
// (strings, template literals, comments, regular expressions and JSX text kept whole, so
// that a brace inside them never counts) and groups brackets into a tree; `objects()`
// then walks that tree. It is not a parser: what it cannot read it skips, and the callers
// check that what they expect to find is there.

const PUNCTS = [
  '>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=',
  '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=',
  '%=', '&=', '|=', '^=', '<<', '>>', '**',
];

/** After one of these a `/` starts a regular expression and a `<` a JSX element. */
function expressionStart(prev) {
  if (!prev) return true;
  if (prev.type === 'id') return ['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await'].includes(prev.value);
  if (prev.type === 'punc') return !['}', ')', ']', '++', '--'].includes(prev.value);
  return false;
}

/**
 * Tokens of `src`: `{type, value, start}` with type `id`, `num`, `str` (value unquoted),
 * `tmpl` (value raw), `regex`, `punc`, `jsx` (a JSX tag or text, value raw).
 * With `jsx`, `<Name` in expression position starts a JSX element whose `{…}` attribute
 * values and children are tokenized as code again.
 */
export function tokenize(src, { jsx = false } = {}) {
  const tokens = [];
  let i = 0;
  const n = src.length;
  const prev = () => tokens[tokens.length - 1];
  const push = (type, value, start) => tokens.push({ type, value, start });
  const fail = (what) => {
    const line = src.slice(0, i).split('\n').length;
    throw new Error(`${what} at line ${line}`);
  };

  function skipSpaceAndComments() {
    for (;;) {
      while (i < n && /\s/.test(src[i])) i++;
      if (src.startsWith('//', i)) {
        while (i < n && src[i] !== '\n') i++;
      } else if (src.startsWith('/*', i)) {
        const end = src.indexOf('*/', i + 2);
        if (end < 0) fail('unterminated comment');
        i = end + 2;
      } else return;
    }
  }

  function string(quote) {
    const start = i++;
    let value = '';
    while (i < n && src[i] !== quote) {
      if (src[i] === '\\') {
        value += src[i + 1] === 'n' ? '\n' : src[i + 1];
        i += 2;
      } else if (src[i] === '\n') fail('newline in string');
      else value += src[i++];
    }
    if (i >= n) fail('unterminated string');
    i++;
    push('str', value, start);
  }

  /** A template literal; its `${…}` parts are skipped as code (nested braces counted). */
  function template() {
    const start = i++;
    while (i < n && src[i] !== '`') {
      if (src[i] === '\\') i += 2;
      else if (src.startsWith('${', i)) {
        i += 2;
        skipCode('}');
        i++;
      } else i++;
    }
    if (i >= n) fail('unterminated template');
    i++;
    push('tmpl', src.slice(start, i), start);
  }

  /** Skip code up to the `close` that ends it (used inside template literals). */
  function skipCode(close) {
    let depth = 0;
    const mark = tokens.length;
    while (i < n) {
      skipSpaceAndComments();
      const c = src[i];
      if (c === close && depth === 0) break;
      if (c === '{' || c === '(' || c === '[') depth++;
      if (c === '}' || c === ')' || c === ']') depth--;
      one();
    }
    tokens.length = mark;
  }

  function regex() {
    const start = i++;
    let inClass = false;
    while (i < n) {
      const c = src[i];
      if (c === '\\') i += 2;
      else if (c === '[') inClass = true, i++;
      else if (c === ']') inClass = false, i++;
      else if (c === '/' && !inClass) break;
      else if (c === '\n') fail('newline in regular expression');
      else i++;
    }
    i++;
    while (i < n && /[a-z]/.test(src[i])) i++;
    push('regex', src.slice(start, i), start);
  }

  /** `<Tag attr="x" attr={code}>children</Tag>` or `<Tag />` or a fragment `<>…</>`. */
  function jsxElement() {
    const start = i;
    i++; // <
    const nameStart = i;
    while (i < n && /[\w.:-]/.test(src[i])) i++;
    const name = src.slice(nameStart, i);
    push('jsx', `<${name}`, start);
    // attributes
    for (;;) {
      skipSpaceAndComments();
      if (src.startsWith('/>', i)) {
        i += 2;
        push('jsx', '/>', i - 2);
        return;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (src[i] === '{') {
        container();
        continue;
      }
      const attrStart = i;
      while (i < n && /[\w.:-]/.test(src[i])) i++;
      if (i === attrStart) fail(`unexpected \`${src[i]}\` in JSX tag <${name}>`);
      push('jsx', src.slice(attrStart, i), attrStart);
      skipSpaceAndComments();
      if (src[i] === '=') {
        i++;
        skipSpaceAndComments();
        if (src[i] === '"' || src[i] === "'") string(src[i]);
        else if (src[i] === '{') container();
        else if (src[i] === '<') jsxElement();
        else fail('unexpected JSX attribute value');
      }
    }
    // children
    for (;;) {
      if (i >= n) fail(`unterminated JSX element <${name}>`);
      if (src.startsWith('</', i)) {
        const end = src.indexOf('>', i);
        i = end + 1;
        push('jsx', `</${name}>`, end);
        return;
      }
      if (src[i] === '<') jsxElement();
      else if (src[i] === '{') container();
      else {
        const textStart = i;
        while (i < n && src[i] !== '<' && src[i] !== '{') i++;
        const text = src.slice(textStart, i);
        if (text.trim()) push('jsx', text, textStart);
      }
    }
  }

  /** `{code}` inside JSX: pushed as `{` (marked `jsx`) … `}` around ordinary tokens. */
  function container() {
    tokens.push({ type: 'punc', value: '{', start: i, jsx: true });
    i++;
    let depth = 0;
    for (;;) {
      skipSpaceAndComments();
      if (i >= n) fail('unterminated JSX expression');
      if (src[i] === '}' && depth === 0) {
        push('punc', '}', i);
        i++;
        return;
      }
      if (src[i] === '{') depth++;
      if (src[i] === '}') depth--;
      one();
    }
  }

  function one() {
    const c = src[i];
    const start = i;
    if (c === '"' || c === "'") return string(c);
    if (c === '`') return template();
    if (/[A-Za-z_$]/.test(c)) {
      while (i < n && /[\w$]/.test(src[i])) i++;
      return push('id', src.slice(start, i), start);
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1]))) {
      while (i < n && /[\w.]/.test(src[i])) i++;
      return push('num', src.slice(start, i), start);
    }
    if (c === '/' && expressionStart(prev())) return regex();
    if (jsx && c === '<' && expressionStart(prev()) && /[A-Za-z>]/.test(src[i + 1] ?? '')) return jsxElement();
    for (const p of PUNCTS) {
      if (src.startsWith(p, i)) {
        i += p.length;
        return push('punc', p, start);
      }
    }
    i++;
    return push('punc', c, start);
  }

  for (;;) {
    skipSpaceAndComments();
    if (i >= n) break;
    one();
  }
  return tokens;
}

const CLOSE = { '{': '}', '(': ')', '[': ']' };

/**
 * The token list as a tree: each bracket pair becomes `{type: 'group', open, items}`.
 * Unbalanced brackets are an error (the reader lost its way; better to stop than guess).
 */
export function group(tokens) {
  const root = { type: 'group', open: '', items: [] };
  const stack = [root];
  for (const t of tokens) {
    const top = stack[stack.length - 1];
    if (t.type === 'punc' && CLOSE[t.value]) {
      const g = { type: 'group', open: t.value, items: [], start: t.start, jsx: Boolean(t.jsx) };
      top.items.push(g);
      stack.push(g);
    } else if (t.type === 'punc' && ['}', ')', ']'].includes(t.value)) {
      if (CLOSE[top.open] !== t.value) throw new Error(`unbalanced \`${t.value}\` at offset ${t.start}`);
      stack.pop();
    } else top.items.push(t);
  }
  if (stack.length !== 1) throw new Error('unclosed bracket at end of file');
  return root;
}

export function parse(src, opts) {
  return group(tokenize(src, opts));
}

/** Items split on top-level commas (semicolons split too: blocks read as lists). */
function splitList(items) {
  const parts = [[]];
  for (const t of items) {
    if (t.type === 'punc' && (t.value === ',' || t.value === ';')) parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  return parts.filter((p) => p.length);
}

/** Source-like text of some items, for keys, labels and simple values. */
export function text(items) {
  let out = '';
  for (const t of items) {
    let s;
    if (t.type === 'group') s = t.open + text(t.items) + CLOSE[t.open];
    else if (t.type === 'str') s = JSON.stringify(t.value);
    else s = t.value;
    const glue = out && /[\w$"'`]$/.test(out) && /^[\w$"'`]/.test(s);
    out += (glue ? ' ' : '') + s;
  }
  return out;
}

const isBlockOpener = (prev) =>
  prev &&
  ((prev.type === 'punc' && (prev.value === '=>' || prev.value === ')')) ||
    (prev.type === 'group' && prev.open === '(') ||
    (prev.type === 'id' && ['else', 'try', 'finally', 'do'].includes(prev.value)));

/**
 * An object literal as a node: `{props, children, spreads}`.
 * - `props`: key → the value's items (keys are source text: `color`, `"&:hover"`,
 *   `[`${buttonClasses.disabled}`]`).
 * - `children`: `{key, node}` for every object literal found in a property's value
 *   (directly, returned by an arrow function, inside an array, a call or a condition).
 * - `spreads`: `{label, node}` for every object literal inside a `...` element: its
 *   properties merge into this object when `label` (the condition's text) holds.
 */
export function objectNode(groupNode) {
  const node = { props: new Map(), children: [], spreads: [] };
  for (const part of splitList(groupNode.items)) {
    const first = part[0];
    if (first.type === 'punc' && first.value === '...') {
      for (const { node: child, context } of findObjects(part.slice(1))) {
        node.spreads.push({ label: text(context), node: child });
      }
      continue;
    }
    const colon = part.findIndex((t) => t.type === 'punc' && t.value === ':');
    if (colon <= 0) {
      // shorthand `a`, a method `a() {}`, or a statement of a block read as a list
      for (const { node: child } of findObjects(part)) node.children.push({ key: '', node: child });
      continue;
    }
    const keyItems = part.slice(0, colon);
    const key = keyItems.length === 1 && (keyItems[0].type === 'str' || keyItems[0].type === 'id' || keyItems[0].type === 'num')
      ? keyItems[0].value
      : text(keyItems);
    const value = part.slice(colon + 1);
    node.props.set(key, value);
    for (const { node: child, context } of findObjects(value)) {
      node.children.push({ key, node: child, context: text(context) });
    }
  }
  return node;
}

/**
 * Every outermost object literal in an expression's items, with the items before it on
 * its level (the condition of `cond && {…}`). Blocks (`=> {…}`, `) {…}`) are looked
 * through: the objects they `return` count.
 */
export function findObjects(items) {
  const found = [];
  const walk = (list, context) => {
    for (let k = 0; k < list.length; k++) {
      const t = list[k];
      if (t.type !== 'group') continue;
      // a parameter list (`({ ownerState }) =>`) holds patterns, not objects
      if (t.open === '(' && list[k + 1]?.type === 'punc' && list[k + 1].value === '=>') continue;
      // a JSX `{…}` holds code, not an object
      if (t.open === '{' && !t.jsx && !isBlockOpener(list[k - 1])) {
        found.push({ node: objectNode(t), context: [...context, ...list.slice(0, k)] });
      } else {
        walk(t.items, [...context, ...list.slice(0, k)]);
      }
    }
  };
  walk(items, []);
  return found;
}

/** Every object literal of a whole file that is not inside another one. */
export function topObjects(root) {
  return findObjects(root.items);
}

/**
 * Every node with its path from the top: yields `{path, node}`; `path` is the list of
 * keys (and `…label` for spreads) that lead to it.
 */
export function* walkNodes(node, path = []) {
  yield { path, node };
  for (const c of node.children) yield* walkNodes(c.node, c.key ? [...path, c.key] : path);
  for (const s of node.spreads) yield* walkNodes(s.node, [...path, `…${s.label}`]);
}
