// CSS landmarks of the two generations: the class names a page's own CSS could aim at.
//
// - Gen2 classes: the classes of Gen2's stylesheet (`dist/css/okta-sign-in.min.css`) in
//   selectors scoped to the widget (`#okta-sign-in …`), and those its compiled templates
//   write (`class="okta-form-title o-form-head"`), that Gen2's code names somewhere
//   (`dist/js/okta-sign-in.min.js`: the stylesheet also carries Okta's shared icon set,
//   most of which the widget never renders) and that hold a hyphen (`button`, `title`,
//   `hide` are as likely a page's own classes: naming one is no sign of Gen2 CSS).
// - Gen3 classes: the classes Gen3's own source gives an element (`className="o-form"`,
//   `class="siwIconFillPrimaryDark"`, `attributes: { class: 'strong nowrap' }`,
//   `contentClassname: '…'`), and those Gen3's stylesheet (`okta-sign-in.next.css`,
//   which also styles Okta's hosted page around the widget) styles. Gen3 is otherwise
//   styled by generated class names (`css-1x2y3z`, `Mui…`) that are no landmarks.
//
// `gen2_only`: Gen2 classes no Gen3 page carries (a selector naming one matches nothing
// under Gen3); `shared`: Gen2 classes Gen3 keeps (`o-form` from 7.16 on: a hook only,
// Gen3 styles through tokens); `gen3_only`: Gen3 classes Gen2 never names; `ids`: the ids
// of Gen2's widget-scoped selectors that Gen2 renders, and whether Gen3 keeps them.

const CLASS = /\.(-?[_a-zA-Z][\w-]*)/g;
const ID = /#(-?[_a-zA-Z][\w-]*)/g;
/** A CSS-module class (`_siwHeader_1eck6_1`): generated per build, no landmark. */
const CSS_MODULE = /^_\w+_[a-z0-9]{5}_\d+$/;

/** Selectors of a stylesheet (comments and at-rule preludes dropped, `@media` bodies kept). */
export function selectors(css) {
  const out = [];
  const clean = css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/url\([^)]*\)/g, 'url()');
  for (const m of clean.matchAll(/([^{}]+)\{/g)) {
    const prelude = m[1].trim();
    if (!prelude || prelude.startsWith('@') || /^(from|to|\d+(\.\d+)?%)(\s*,\s*(from|to|\d+(\.\d+)?%))*$/.test(prelude)) continue;
    for (const s of prelude.split(',')) out.push(s.trim());
  }
  return out;
}

/** Whole-word occurrence of a class name in code (not part of a longer name). */
function named(word, code) {
  const escaped = word.replace(/[-]/g, '\\-');
  return new RegExp(`(^|[^\\w-])${escaped}($|[^\\w-])`).test(code);
}

/** Class names Gen3's own source puts on elements. */
export function gen3SourceClasses(texts) {
  const out = new Set();
  const add = (list) => {
    for (const c of list.split(/\s+/)) {
      // not message kinds (`class: 'ERROR'` on a message object), not CSS-module hashes
      if (/^-?[_a-zA-Z][\w-]*$/.test(c) && !/^[A-Z_]+$/.test(c) && !CSS_MODULE.test(c)) out.add(c);
    }
  };
  for (const t of texts) {
    for (const m of t.matchAll(/\b(?:className|class|contentClassname)\s*[=:]\s*\{?\s*(["'])([^"'`]*)\1/g)) add(m[2]);
  }
  return out;
}

export function extractCss({ gen2Css, gen2Js, gen3Css, gen3Map }) {
  const gen2 = new Set();
  const ids = new Set();
  for (const s of selectors(gen2Css)) {
    if (!/#okta-sign-in\b/.test(s)) continue;
    for (const m of s.matchAll(CLASS)) gen2.add(m[1]);
    for (const m of s.matchAll(ID)) ids.add(m[1]);
  }
  // classes Gen2's compiled templates write into markup (`class="okta-form-title o-form-head"`)
  for (const m of gen2Js.matchAll(/class=\\?["']([^"'\\{}<>]*)\\?["']/g)) {
    for (const c of m[1].split(/\s+/)) if (/^-?[_a-zA-Z][\w-]*$/.test(c)) gen2.add(c);
  }
  // a hyphen-less word (`button`, `title`, `hide`) is as likely the page's own class
  const rendered = [...gen2].filter((c) => c.includes('-') && named(c, gen2Js));

  const gen3 = new Set();
  if (gen3Map) {
    const own = gen3Map.find(/(^webpack:\/\/v3\/\.\/src\/|\/src\/v3\/src\/)/).filter((s) => !/\.test\.|__tests__|mocks?\//.test(s.path));
    for (const c of gen3SourceClasses(own.map((s) => s.text))) gen3.add(c);
  }
  for (const s of selectors(gen3Css)) for (const m of s.matchAll(CLASS)) if (!CSS_MODULE.test(m[1])) gen3.add(m[1]);
  const gen3Ids = new Set();
  if (gen3Map) {
    for (const s of gen3Map.find(/(^webpack:\/\/v3\/\.\/src\/|\/src\/v3\/src\/)/)) {
      for (const m of s.text.matchAll(/\bid\s*[=:]\s*\{?\s*(["'])([\w-]+)\1/g)) gen3Ids.add(m[2]);
    }
  }
  for (const s of selectors(gen3Css)) for (const m of s.matchAll(ID)) gen3Ids.add(m[1]);

  const sort = (xs) => [...new Set(xs)].sort();
  return {
    gen2_only: sort(rendered.filter((c) => !gen3.has(c))),
    shared: sort(rendered.filter((c) => gen3.has(c))),
    gen3_only: gen3Map ? sort([...gen3].filter((c) => !gen2.has(c) && !named(c, gen2Js) && !named(c, gen2Css))) : [],
    ids: sort([...ids].filter((id) => named(id, gen2Js))).map((id) => ({ id, gen3: gen3Ids.has(id) })),
  };
}
