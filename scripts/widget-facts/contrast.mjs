// The colour pairs a Gen3 widget draws text on, as token names (or a fixed colour where no
// token reaches): what a WCAG contrast check of a page's `config.theme.tokens` needs.
//
// A pair is a style object that sets both `color` and a background (`backgroundColor`,
// `background`, `bgcolor`) at the same level; a `...(condition && {…})` spread merges
// into the object it sits in (a variant). Disabled states are left out (WCAG 1.4.3
// exempts inactive controls). Where it is read from:
//
// - Odyssey's theme (`theme/components.tsx`, compiled `components.js` in 7.8–7.10) and the
//   widget's overrides of it (`src/util/theme.ts`);
// - the widget's own components (`src/components/**`), which style with `tokens.X`;
// - the text of every typography variant (Odyssey's `theme/typography.ts`, or the
//   widget's `set(theme, 'typography.h1.color', …)` in 7.11–7.15) on the widget's card,
//   whose background is the palette colour `AuthContainer` gives it (`bgcolor=…`: the
//   widget's theme says "SIW always has a white background color").
//
// Values reach a token directly (`odysseyTokens.X`, `mergedTokens.X`, `tokens.X`) or
// through MUI's palette (`theme.palette.primary.main`), which Odyssey's `palette.ts`
// fills from tokens and which the widget's `theme.ts` overrides in 7.11–7.15.

import { parse, text, topObjects, walkNodes } from './js.mjs';
import { odysseyTokenModule, odysseyTokenValues } from './tokens.mjs';

const TEXT_KEYS = ['color'];
const BACKGROUND_KEYS = ['backgroundColor', 'background', 'bgcolor'];
const HEX = /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/;

/** A selector or condition that means "disabled" (`:not(:disabled)` does not). */
export function isDisabled(s) {
  const without = s.replace(/:not\([^)]*\)/g, '');
  return /disabled/i.test(without);
}

/**
 * Resolves a property value (token items) to a side of a pair: `{token}` or `{fixed}`.
 * `palette` maps a palette path (`primary.main`, `grey.50`, `common.white`) to a side.
 */
export function makeResolver(tokenNames, palette) {
  const resolve = (items) => {
    if (!items) return null;
    let list = items;
    while (list.length === 1 && list[0].type === 'group' && list[0].open === '(') list = list[0].items;
    const s = text(list);
    let m = /^(\w*[tT]okens)\.(\w+)$/.exec(s);
    if (m && tokenNames.has(m[2])) return { token: m[2] };
    m = /^(?:\w+\.)?palette\.([\w.]+)(?:\[(\d+)\])?$/.exec(s);
    if (m) return palette.get(m[2] ? `${m[1]}.${m[2]}` : m[1]) ?? null;
    if (list.length === 1 && list[0].type === 'str' && HEX.test(list[0].value)) return { fixed: list[0].value.toLowerCase() };
    return null;
  };
  return resolve;
}

const sideName = (side) => side.token ?? side.fixed;
/** Code-unit order: the same on every machine (`localeCompare` follows the locale). */
const compare = (x, y) => (x < y ? -1 : x > y ? 1 : 0);

/** People's words for a condition: `ownerState.variant === "primary" &&` → `variant primary`. */
export function conditionWords(label) {
  const parts = [];
  for (const m of label.matchAll(/(\w+)\??\.(\w+)\s*===\s*("([^"]*)"|true)/g)) parts.push(m[4] === undefined ? m[2] : `${m[2]} ${m[4]}`);
  for (const m of label.matchAll(/(?<![.\w])(\w+)\s*===\s*"([^"]*)"/g)) parts.push(`${m[1]} ${m[2]}`);
  for (const m of label.matchAll(/(?:^|[(!&|\s])(\w+)\??\.(\w+)\s*(&&|\?)/g)) parts.push(m[2]);
  return [...new Set(parts)].join(', ') || label.replace(/\s+/g, ' ').trim();
}

/** A style key for people: `[`&.${chipClasses.colorInfo}`]` → `.colorInfo`, `"&:hover"` → `:hover`. */
export function keyWords(key) {
  return key
    .replace(/^\[`?|`?\]$/g, '')
    .replace(/\$\{\w+Classes\.(\w+)\}/g, '$1')
    .replace(/&/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `MuiInputBase` → `input base`, `ConsentHeader` → `consent header`. */
export function componentWords(name) {
  return name
    .replace(/^Mui/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

const SKIP_KEYS = new Set(['styleOverrides', 'root', 'style', 'variants', 'components', 'sx', 'defaultProps', 'props', '']);

/** Where a pair is drawn, for people: `button (variant primary) :hover`. */
function where(origin, path, labels) {
  const keys = path.filter((k) => !SKIP_KEYS.has(k) && !k.startsWith('…'));
  const head = keys.length && /^Mui/.test(keys[0]) ? keys.shift() : origin;
  const conds = labels.map(conditionWords).filter(Boolean);
  return [componentWords(head), conds.length ? `(${conds.join('; ')})` : '', ...keys.map(keyWords)]
    .filter(Boolean)
    .join(' ');
}

/** Every pair in the object tree under `node`: `{text, background, where}`. */
export function pairsIn(node, resolve, origin, path = [], labels = []) {
  const out = [];
  if ([...path, ...labels].some(isDisabled)) return out;
  // this object alone, then with each spread (and the spreads inside it) merged in
  const variants = [];
  const addVariants = (n, props, ls) => {
    variants.push({ props, labels: ls });
    for (const s of n.spreads) {
      if (isDisabled(s.label)) continue;
      addVariants(s.node, new Map([...props, ...s.node.props]), [...ls, s.label]);
    }
  };
  addVariants(node, node.props, labels);
  for (const v of variants) {
    const fg = TEXT_KEYS.map((k) => resolve(v.props.get(k))).find(Boolean);
    const bg = BACKGROUND_KEYS.map((k) => resolve(v.props.get(k))).find(Boolean);
    if (fg && bg && (fg.token || bg.token)) {
      const mui = path.find((k) => /^Mui\w+$/.test(k))?.slice(3);
      out.push({ text: fg, background: bg, where: where(origin, path, v.labels), mui });
    }
  }
  const descend = (n, ls) => {
    // MUI's `variants: [{ props: { variant: "primary" }, style: {…} }]`: the props are the condition
    const props = n.children.find((c) => c.key === 'props');
    const when = props
      ? [...props.node.props].map(([k, v]) => `ownerState.${k} === ${text(v)}`).join(' && ')
      : null;
    for (const c of n.children) {
      if (c === props) continue;
      out.push(...pairsIn(c.node, resolve, origin, c.key ? [...path, c.key] : path, when ? [...ls, when] : ls));
    }
    for (const s of n.spreads) if (!isDisabled(s.label)) descend(s.node, [...ls, s.label]);
  };
  descend(node, labels);
  return out;
}

function isSiw(p) {
  return /^webpack:\/\/v3\/\.\/src\/|\/src\/v3\/src\//.test(p);
}

/** Odyssey's palette as `path → side`, resolving its token references. */
function paletteOf(map, tokenNames) {
  const src = map.find(/theme\/palette\.(ts|js)$/).filter((s) => !isSiw(s.path));
  if (src.length !== 1) throw new Error(`expected one Odyssey theme/palette source, found ${src.length}`);
  // 7.8–7.15: palette.ts reads an older Odyssey token module whose names no page can set:
  // those values are fixed colours.
  const moduleValues = odysseyTokenValues(odysseyTokenModule(map).text);
  const palette = new Map();
  const leaf = (items) => {
    const s = text(items);
    let m = /^(\w*[tT]okens)\.(\w+)$/.exec(s);
    if (m && tokenNames.has(m[2])) return { token: m[2] };
    if (m && moduleValues.has(m[2]) && HEX.test(moduleValues.get(m[2]))) return { fixed: moduleValues.get(m[2]).toLowerCase() };
    if (items.length === 1 && items[0].type === 'str' && HEX.test(items[0].value)) return { fixed: items[0].value.toLowerCase() };
    return null;
  };
  for (const { node } of topObjects(parse(src[0].text, { jsx: false }))) {
    if (!node.props.has('primary') && !node.children.some((c) => c.key === 'primary')) {
      // `palette = ({odysseyTokens}) => { return {…} }`: the object is a child
      for (const { path, node: n } of walkNodes(node)) {
        if (n.props.has('primary')) addPalette(n, [], palette, leaf);
        void path;
      }
    } else addPalette(node, [], palette, leaf);
  }
  if (!palette.has('common.white')) throw new Error('Odyssey palette without common.white');
  return palette;
}

function addPalette(node, path, palette, leaf) {
  for (const [key, value] of node.props) {
    const child = node.children.find((c) => c.key === key);
    if (child) addPalette(child.node, [...path, key], palette, leaf);
    else {
      const side = leaf(value);
      if (side) palette.set([...path, key].join('.'), side);
    }
  }
}

/**
 * 7.11–7.15: `set(theme, 'palette.text.primary', mergedTokens.TypographyColorBody)` and
 * `set(theme, 'palette.primary.main', customTokens.PalettePrimaryMain ?? p.main)` in the
 * widget's theme.ts point palette paths (and typography colours) at tokens.
 */
function siwSets(themeText, tokenNames) {
  const sets = new Map();
  for (const m of themeText.matchAll(/set\(theme,\s*'([\w.[\]]+)',\s*([^;]*?)\);/g)) {
    const ref = /\b(?:mergedTokens|customTokens)\??\.(\w+)/.exec(m[2]);
    if (ref && tokenNames.has(ref[1])) sets.set(m[1].replace(/\[(\d+)\]/g, '.$1'), { token: ref[1] });
  }
  return sets;
}

const IMPORT_NAMED = /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*["'](@mui\/material|@okta\/odyssey-react-mui)(?:\/(\w+))?["']/g;
const IMPORT_DEFAULT = /import\s+(\w+)\s*(?:,\s*\{[^}]*\})?\s*from\s*["']@mui\/material\/(\w+)["']/g;

/**
 * The MUI components the widget renders, by name (`Button`, `Chip`): what its own sources
 * import from `@mui/material` or `@okta/odyssey-react-mui` (which re-exports MUI's
 * components up to 7.15), and what Odyssey's own components import from `@mui/material`.
 * Odyssey's theme styles every MUI component (tables, menus, breadcrumbs…); a theme entry
 * counts only for a component that is rendered. Type-only names (`…Props`, `…Classes`,
 * `Theme…`) are not components.
 */
export function renderedMuiComponents(map) {
  const used = new Set();
  const add = (name) => {
    if (/^[A-Z]/.test(name) && !/(Classes|Props|Event|Type|Options|Override|Overrides)$|^(Theme|CSS|Mui|Odyssey|Design)/.test(name)) used.add(name);
  };
  map.sources.forEach((p, i) => {
    const t = map.contents[i];
    if (typeof t !== 'string' || /node_modules\/@mui\//.test(p) || /theme\/components\.(tsx|ts|js)$/.test(p)) return;
    for (const m of t.matchAll(IMPORT_NAMED)) {
      // Odyssey's own files import from `@mui/material`; the widget's from both
      if (m[2] === '@okta/odyssey-react-mui' && !isSiw(p)) continue;
      for (const n of m[1].split(',')) add(n.trim().split(/\s+as\s+/)[0]);
    }
    for (const m of t.matchAll(IMPORT_DEFAULT)) add(m[2]);
  });
  return used;
}

/**
 * `[{text, background, where: [..]}]`: one entry per distinct pair, every place it is
 * drawn listed, sorted for a stable file.
 */
export function extractContrastPairs(map, tokens) {
  const tokenNames = new Set(Object.keys(tokens));
  const theme = map.siw('util/theme.ts');
  const palette = paletteOf(map, tokenNames);
  const sets = siwSets(theme.text, tokenNames);
  for (const [p, side] of sets) if (p.startsWith('palette.')) palette.set(p.slice('palette.'.length), side);
  const resolve = makeResolver(tokenNames, palette);

  const rendered = renderedMuiComponents(map);
  const found = [];
  const scan = (source, origin, onlyRendered) => {
    const root = parse(source.text, { jsx: /\.[jt]sx$/.test(source.path) });
    for (const { node } of topObjects(root)) {
      for (const p of pairsIn(node, resolve, origin)) {
        if (!onlyRendered || !p.mui || rendered.has(p.mui)) found.push(p);
      }
    }
  };
  const components = map.find(/theme\/components\.(tsx|ts|js)$/).filter((s) => !isSiw(s.path));
  if (components.length !== 1) throw new Error(`expected one Odyssey theme/components source, found ${components.length}`);
  scan(components[0], 'Odyssey theme', true);
  scan(theme, 'widget theme');
  for (const source of map.siwUnder('components/')) {
    if (!/\.tsx?$/.test(source.path) || /\.test\.|__tests__|stories/.test(source.path)) continue;
    const name = /components\/(?:[^/]+\/)*?([^/]+?)(?:\/index)?\.tsx?$/.exec(source.path)[1];
    scan(source, name);
  }

  // Typography on the card.
  const container = map.siw('components/AuthContainer/AuthContainer.tsx');
  const cardPath = container && /bgcolor="([\w.]+)"/.exec(container.text)?.[1];
  const card = cardPath && palette.get(cardPath);
  if (!card) throw new Error('the card background (AuthContainer bgcolor) is no longer found; re-derive it');
  const typography = map.find(/theme\/typography\.(ts|js)$/).filter((s) => !isSiw(s.path));
  const variants = new Map();
  // 7.11–7.15: the widget sets typography colours from tokens itself
  for (const [p, side] of sets) {
    const m = /^typography\.(\w+)\.color$/.exec(p);
    if (m) variants.set(m[1], side);
  }
  for (const source of typography) {
    for (const { node } of topObjects(parse(source.text, { jsx: false }))) {
      for (const { path, node: n } of walkNodes(node)) {
        const side = resolve(n.props.get('color'));
        const key = path[path.length - 1];
        if (side && key && !variants.has(key)) variants.set(key, side);
      }
    }
  }
  for (const [variant, side] of variants) {
    found.push({ text: side, background: card, where: `typography ${variant} on the widget's card` });
  }
  // Text outside a typography variant takes the palette's text colour (MUI's baseline).
  const plain = palette.get('text.primary');
  if (plain) found.push({ text: plain, background: card, where: "palette text.primary on the widget's card" });

  const byPair = new Map();
  for (const p of found) {
    if (!p.text.token && !p.background.token) continue;
    const key = `${sideName(p.text)}\u0000${sideName(p.background)}`;
    if (!byPair.has(key)) byPair.set(key, { text: sideName(p.text), background: sideName(p.background), where: new Set() });
    byPair.get(key).where.add(p.where);
  }
  return [...byPair.values()]
    .map((p) => ({ text: p.text, background: p.background, where: [...p.where].sort() }))
    .sort((a, b) => compare(`${a.text}\u0000${a.background}`, `${b.text}\u0000${b.background}`));
}
