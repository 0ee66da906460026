// Tests of scripts/widget-facts.mjs on small hand-written inputs (no widget code here):
//   node --test scripts/
// The script's real input is checked in CI (`--check` against npm, .ci/run).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { diffLines, expand, extractFacts, render, renderAll, renderStandIn, share, standInStrings } from './widget-facts.mjs';
import { conditionWords, isDisabled, makeResolver, pairsIn } from './widget-facts/contrast.mjs';
import { extractCss, selectors } from './widget-facts/css.mjs';
import { findObjects, parse, text, tokenize, topObjects } from './widget-facts/js.mjs';
import { tokenKind } from './widget-facts/tokens.mjs';

const objectsOf = (src, jsx = false) => topObjects(parse(src, { jsx })).map((o) => o.node);

test('braces inside strings, templates, comments, regexes and JSX text do not count', () => {
  const src = `
    // a comment with { a brace
    const re = /[{]+/g;
    const s = "}" + '{' + \`\${ { nested: 1 }.nested } }\`;
    /* } */
    const Comp = () => <Box sx={{ color: tokens.A }}>Don't {"}"} stop</Box>;
    export const x = { color: tokens.B };
  `;
  const objects = objectsOf(src, true);
  const colours = objects.map((o) => text(o.props.get('color') ?? []));
  assert.deepEqual(colours, ['tokens.A', 'tokens.B']);
  assert.throws(() => parse('const a = { b: (1 };'), /unbalanced/);
});

test('objects are found through arrow functions, blocks and arrays', () => {
  const [theme] = objectsOf(`
    export const components = {
      MuiButton: {
        variants: [{ props: { variant: "primary" }, style: _ref => { let { theme } = _ref; return { color: "#fff" }; } }],
        styleOverrides: { root: ({ ownerState }) => ({ ...(ownerState.variant === "floating" && { color: tokens.X }) }) },
      },
    };`);
  const button = theme.children.find((c) => c.key === 'MuiButton').node;
  const variants = button.children.filter((c) => c.key === 'variants');
  assert.equal(variants.length, 1);
  const root = button.children.find((c) => c.key === 'styleOverrides').node.children.find((c) => c.key === 'root').node;
  assert.equal(root.spreads.length, 1);
  assert.match(root.spreads[0].label, /ownerState\.variant==="floating"&&/);
  assert.equal(findObjects(tokenize('a(b)').map((t) => t)).length, 0);
});

const names = new Set(['A', 'B', 'C', 'D', 'White', 'Main']);
const palette = new Map([['primary.main', { token: 'Main' }], ['common.white', { fixed: '#ffffff' }]]);
const resolve = makeResolver(names, palette);
const pairsOf = (src) => objectsOf(src, true).flatMap((o) => pairsIn(o, resolve, 'Thing'));
const flat = (pairs) => pairs.map((p) => `${p.text.token ?? p.text.fixed} on ${p.background.token ?? p.background.fixed}: ${p.where}`);

test('a pair is a colour and a background at one level, spreads merging in', () => {
  const pairs = pairsOf(`const c = {
    MuiButton: { styleOverrides: { root: ({ ownerState }) => ({
      color: odysseyTokens.A,
      backgroundColor: odysseyTokens.B,
      ...(ownerState.variant === "primary" && { backgroundColor: theme.palette.primary.main }),
      ...(ownerState.variant === "plain" && { color: theme.palette.common.white }),
      "&:hover": { color: tokens.C },
      "&:hover:not(:disabled)": { color: tokens.C, background: tokens.D },
      "&:disabled": { color: tokens.C, backgroundColor: tokens.D },
      [\`&.\${buttonClasses.disabled}\`]: { color: tokens.A, backgroundColor: tokens.D },
      ...(ownerState.disabled && { color: tokens.D, backgroundColor: tokens.A }),
      "& .label": { color: tokens.Unknown, backgroundColor: tokens.A },
    }) } },
  };`);
  assert.deepEqual(flat(pairs), [
    'A on B: button',
    'A on Main: button (variant primary)',
    '#ffffff on B: button (variant plain)',
    'C on D: button :hover:not(:disabled)',
  ]);
});

test('MUI variants read their props as the condition; fixed-only pairs are dropped', () => {
  const pairs = pairsOf(`const c = { MuiButton: { variants: [
    { props: { variant: "danger" }, style: () => ({ color: "#ffffff", backgroundColor: tokens.A }) },
    { props: { variant: "x" }, style: { color: "#ffffff", backgroundColor: "#000000" } },
  ] } };`);
  assert.deepEqual(flat(pairs), ['#ffffff on A: button (variant danger)']);
});

test('disabled means disabled, not its negation', () => {
  assert.equal(isDisabled('&:disabled'), true);
  assert.equal(isDisabled('&.Mui-disabled'), true);
  assert.equal(isDisabled('ownerState.disabled&&'), true);
  assert.equal(isDisabled('&:hover:not(:disabled)'), false);
  assert.equal(conditionWords('ownerState.severity==="info"&&'), 'severity info');
  assert.equal(conditionWords('contrastMode==="lowContrast"&&'), 'contrastMode lowContrast');
  assert.equal(conditionWords('ownerState.touch===true&&'), 'touch');
});

test('token kinds form a closed set', () => {
  const cases = {
    PalettePrimaryMain: ['#1662dd', 'colour'],
    BorderColorDisplay: ['rgba(0, 0, 0, 0.1)', 'colour'],
    PaletteAlphaSemi: ['BF', 'alpha'],
    Spacing0: ['0', 'length'],
    Spacing4: ['1.14285714rem', 'length'],
    TypographySizeBase: ['87.5%', 'length'],
    TypographyLineHeightBody: [1.5, 'number'],
    TransitionDurationMainAsNumber: [100, 'number'],
    TypographyWeightBody: ['400', 'font-weight'],
    TypographyFamilyBody: ["'Inter', sans-serif", 'font-family'],
    TypographyStyleNormal: ['normal', 'font-style'],
    DepthLow: ['0px 1px 2px 0px rgba(39, 39, 39, 0.07)', 'shadow'],
    TransitionDurationMain: ['100ms', 'duration'],
    TransitionTimingMain: ['linear', 'timing-function'],
    BorderStyleMain: ['solid', 'border-style'],
    FocusOutlineStyle: ['solid', 'border-style'],
  };
  for (const [name, [value, kind]] of Object.entries(cases)) assert.equal(tokenKind(name, value), kind, name);
  assert.throws(() => tokenKind('SomethingNew', 'wobbly'), /no kind fits/);
});

const facts = (version, keys, extra = {}) => ({
  format: 1,
  package: '@okta/okta-signin-widget',
  version,
  generations: { g2: true, g3: true },
  i18n: { languages: ['en', 'fr'], keys, country_codes: ['JP'] },
  tokens: null,
  contrast_pairs: [],
  css: { gen2_only: ['a-b'], shared: [], gen3_only: [], ids: [] },
  ...extra,
});

test('versions share what did not change with the version before, and expand back', () => {
  const old = facts('7.1.0', ['a', 'b', 'c', 'd']);
  const next = facts('7.2.0', ['b', 'c', 'd', 'e']);
  const shared = share(next, old);
  assert.deepEqual(shared.i18n.keys, { from: '7.1.0', add: ['e'], remove: ['a'] });
  assert.deepEqual(shared.i18n.languages, { from: '7.1.0' });
  assert.deepEqual(shared.tokens, { from: '7.1.0' });
  assert.deepEqual(expand(shared, (v) => (v === '7.1.0' ? old : null)), next);
  // a list that changed by more than half is written out
  assert.deepEqual(share(facts('7.2.0', ['x']), old).i18n.keys, ['x']);
  assert.throws(() => expand(share(old, next), () => next), /not older/);
  // one rendering per version, each sharing with the one before it
  const all = renderAll(new Map([['7.2.0', next], ['7.1.0', old]]));
  assert.deepEqual([...all.keys()], ['7.1.0', '7.2.0']);
  assert.equal(all.get('7.1.0'), render(old));
  assert.match(all.get('7.2.0'), /"from": "7.1.0"/);
  assert.deepEqual(diffLines('a\nb\n', 'a\nc\n'), ['- b', '+ c']);
});

test('Gen2 landmarks: widget-scoped, rendered by Gen2, hyphenated; Gen3 keeps some', () => {
  assert.deepEqual(selectors('/* x{} */ @media (x) { a.b, #c .d { } } @keyframes k { from {} 50% {} }'), ['a.b', '#c .d']);
  const css = extractCss({
    gen2Css: '#okta-sign-in.auth-container .button-primary{} #okta-sign-in .o-form{} #okta-sign-in .button{} #okta-sign-in .icon-16-never{} .qtip-x{}',
    gen2Js: 'x="auth-container button-primary";y="o-form button qtip-x";z=\'<h2 class="okta-form-title o-form-head">\'',
    gen3Css: '.o-form{}',
    gen3Map: { find: () => [{ path: 'webpack://v3/./src/x.tsx', text: 'className="o-form siw-new" class="ERROR"' }] },
  });
  assert.deepEqual(css.gen2_only, ['auth-container', 'button-primary', 'o-form-head', 'okta-form-title']);
  assert.deepEqual(css.shared, ['o-form']);
  assert.deepEqual(css.gen3_only, ['siw-new']);
  assert.deepEqual(css.ids, []);
});

test('a Gen2-only package gives keys, languages and classes, no tokens', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'widget-facts-test-'));
  const write = (rel, content) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  };
  write('package.json', JSON.stringify({ name: '@okta/okta-signin-widget', version: '7.7.9' }));
  write('dist/labels/json/login.json', JSON.stringify({ 'b.key': 'Text B', 'a.key': 'Text A' }));
  write('dist/labels/json/login_pt_BR.json', '{}');
  write('dist/labels/json/login_fr.json', '{}');
  write('dist/labels/json/country.json', JSON.stringify({ JP: 'Japan' }));
  write('dist/js/okta-sign-in.min.js', 'x="o-form"');
  write('dist/css/okta-sign-in.min.css', '#okta-sign-in .o-form{}');
  try {
    const f = extractFacts(dir);
    assert.equal(f.version, '7.7.9');
    assert.deepEqual(f.generations, { g2: true, g3: false });
    assert.deepEqual(f.i18n, { languages: ['en', 'fr', 'pt_BR'], keys: ['a.key', 'b.key'], country_codes: ['JP'] });
    assert.equal(f.tokens, null);
    assert.deepEqual(f.contrast_pairs, []);
    assert.deepEqual(f.css.gen2_only, ['o-form']);
    // texts never reach the data
    assert.doesNotMatch(render(f), /Text A|Japan/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the stand-in's strings: only its keys, every language, English where a language has none, in a fixed order", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'widget-facts-test-'));
  const write = (rel, content) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), JSON.stringify(content));
  };
  write('package.json', { name: '@okta/okta-signin-widget', version: '7.9.9' });
  write('dist/labels/json/login.json', { 'b.key': 'Next', 'a.key': 'Sign In', 'unused.key': 'Other' });
  write('dist/labels/json/login_pt_BR.json', { 'a.key': 'Entrar', 'b.key': 'Next' });
  write('dist/labels/json/login_fr.json', { 'b.key': 'Suivant', 'a.key': 'Connexion', 'unused.key': 'Autre' });
  write('dist/labels/json/login_de.json', {});
  write('dist/labels/json/country_fr.json', { JP: 'Japon' });
  try {
    const s = standInStrings(dir, ['b.key', 'a.key']);
    assert.equal(s.version, '7.9.9');
    assert.deepEqual(s.keys, ['a.key', 'b.key']);
    assert.deepEqual(Object.keys(s.languages), ['de', 'en', 'fr', 'pt_BR']);
    assert.deepEqual(s.languages.en, { 'a.key': 'Sign In', 'b.key': 'Next' });
    assert.deepEqual(s.languages.fr, { 'a.key': 'Connexion', 'b.key': 'Suivant' });
    // A text the same as English, or none, falls back to English at run time.
    assert.deepEqual(s.languages.pt_BR, { 'a.key': 'Entrar' });
    assert.deepEqual(s.languages.de, {});
    const text = renderStandIn(s);
    assert.deepEqual(JSON.parse(text), s);
    assert.equal(renderStandIn(standInStrings(dir, ['a.key', 'b.key', 'a.key'])), text, 'deterministic');
    assert.doesNotMatch(text, /Other|Autre|Japon/);
    // A key the stand-in uses that the widget lacks stops the script.
    assert.throws(() => standInStrings(dir, ['a.key', 'gone.key']), /login\.json of 7\.9\.9 has no gone\.key/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
