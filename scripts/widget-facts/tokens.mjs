// The design tokens a Gen3 widget reads from `config.theme.tokens`: their names, the kind
// of value each takes and its default. Three eras, told apart by the widget's own source:
//
// - 7.8–7.10: the widget does not read `theme.tokens` at all (null).
// - 7.11–7.15: the widget's own `src/util/designTokens.ts` (`DESIGN_TOKENS`, a subset of
//   Odyssey's names) merged with the page's tokens; `util/theme.ts` copies them onto the
//   MUI theme (`set(theme, 'palette.primary.main', …)`).
// - 7.16 on: every export of `@okta/odyssey-design-tokens`, merged as
//   `{ ...Tokens, ...tokensOverride }` and handed to Odyssey's theme.

import { parse, topObjects, tokenize } from './js.mjs';

/**
 * The closed set of kinds, decided from the name first (the design system names tokens by
 * what they style) and then from the default value. An unknown shape stops the script:
 * a person decides its kind and adds it here and in data/widget/README.md.
 */
export const KINDS = [
  'alpha', 'border-style', 'colour', 'duration', 'font-family', 'font-style', 'font-weight',
  'length', 'number', 'shadow', 'timing-function',
];

const COLOUR = /^(#[0-9a-fA-F]{3,8}|rgba?\([^)]*\)|hsla?\([^)]*\))$/;
const LENGTH = /^(0|-?(\d+\.?\d*|\.\d+)(px|rem|em|ch|%|vh|vw|ex))$/;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)$/;

export function tokenKind(name, value) {
  const v = String(value).trim();
  if (/^PaletteAlpha/.test(name) && /^[0-9a-fA-F]{2}$/.test(v)) return 'alpha';
  if (/^Typography.*Family/.test(name)) return 'font-family';
  if (/^Typography.*Weight/.test(name) && /^[1-9]00$/.test(v)) return 'font-weight';
  if (/^Typography.*Style/.test(name) && /^(normal|italic|oblique)$/.test(v)) return 'font-style';
  if (/^(Depth|Shadow)/.test(name)) return 'shadow';
  if (/Duration/.test(name) && /^\d+(\.\d+)?m?s$/.test(v)) return 'duration';
  if (/Timing/.test(name) && /^(linear|ease(-in|-out|-in-out)?|step-start|step-end|cubic-bezier\(.*\)|steps\(.*\))$/.test(v)) return 'timing-function';
  if (/Style/.test(name) && /^(none|hidden|dotted|dashed|solid|double|groove|ridge|inset|outset)$/.test(v)) return 'border-style';
  if (COLOUR.test(v)) return 'colour';
  if (typeof value === 'number' || NUMBER.test(v)) return v === '0' ? 'length' : 'number';
  if (LENGTH.test(v)) return 'length';
  throw new Error(`token ${name} = ${JSON.stringify(value)}: no kind fits; decide one (scripts/widget-facts/tokens.mjs)`);
}

/** A literal's value: strings as they are, numbers as their source text. */
function literal(t) {
  if (t.type === 'str') return t.value;
  if (t.type === 'num') return t.value;
  return null;
}

/** `export const Name = "value";` lines of Odyssey's generated token module. */
export function odysseyTokenValues(text) {
  const tokens = tokenize(text);
  const out = new Map();
  for (let k = 0; k + 4 < tokens.length; k++) {
    const [a, b, c, d, e] = tokens.slice(k, k + 5);
    if (a.value === 'export' && b.value === 'const' && c.type === 'id' && d.value === '=') {
      let value = literal(e);
      if (value === null && e.value === '-' && tokens[k + 5]?.type === 'num') value = `-${tokens[k + 5].value}`;
      if (value !== null) out.set(c.value, value);
    }
  }
  if (!out.size) throw new Error('no `export const` tokens in the Odyssey token module');
  return out;
}

/** `DESIGN_TOKENS = { Name: 'value', … }` of the widget's own designTokens.ts (7.11–7.15). */
function siwDesignTokens(text) {
  const objects = topObjects(parse(text));
  const out = new Map();
  for (const { node } of objects) {
    for (const [key, value] of node.props) {
      if (value.length === 1 && literal(value[0]) !== null && /^[A-Z]\w+$/.test(key)) out.set(key, literal(value[0]));
    }
  }
  if (!out.size) throw new Error('no DESIGN_TOKENS entries in util/designTokens.ts');
  return out;
}

export function odysseyTokenModule(map) {
  return map.one(/odyssey-design-tokens\/dist\/index\.m?js$/, 'the Odyssey design-token module');
}

/**
 * `{Name: {kind, default}}` sorted by name, or null when this version does not read
 * `config.theme.tokens`.
 */
export function extractTokens(map) {
  const widget = map.siw('components/Widget/index.tsx');
  if (!widget) throw new Error('no components/Widget/index.tsx in the Gen3 source map');
  if (!/\b(customTheme|theme)\?*\.tokens\b/.test(widget.text)) return null;
  const theme = map.siw('util/theme.ts');
  if (!theme) throw new Error('no util/theme.ts in the Gen3 source map');

  let values;
  const own = map.siw('util/designTokens.ts');
  if (own && /\bDESIGN_TOKENS\b/.test(theme.text)) {
    values = siwDesignTokens(own.text);
    // names theme.ts reads straight from the page's tokens must be known too
    for (const m of theme.text.matchAll(/\bcustomTokens\??\.(\w+)/g)) {
      if (!values.has(m[1])) throw new Error(`util/theme.ts reads customTokens.${m[1]}, which DESIGN_TOKENS lacks`);
    }
  } else if (/import \* as Tokens from '@okta\/odyssey-design-tokens'/.test(theme.text) && /\.\.\.Tokens\b/.test(theme.text)) {
    values = odysseyTokenValues(odysseyTokenModule(map).text);
  } else {
    throw new Error('util/theme.ts merges the page tokens in a way this script does not know; read it and teach tokens.mjs');
  }
  const out = {};
  for (const name of [...values.keys()].sort()) {
    const value = values.get(name);
    out[name] = { kind: tokenKind(name, value), default: String(value) };
  }
  return out;
}
