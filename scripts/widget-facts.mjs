#!/usr/bin/env node
// Facts about the Okta Sign-In Widget (`@okta/okta-signin-widget` on npm), extracted from
// its published package into `data/widget/<version>.json`, which signin-pages embeds and
// checks pages against. The widget's code is under Okta's licence and is never committed:
// these files hold names and facts only (string keys, language codes, design-token names
// with their kind and default, contrast pairs, class names), never code, CSS or texts.
//
//   node scripts/widget-facts.mjs                    # regenerate every committed version
//   node scripts/widget-facts.mjs 7.50.0             # add or regenerate one version
//   node scripts/widget-facts.mjs --check 7.49.0     # compare with the committed file
//   node scripts/widget-facts.mjs --check --newest   # the newest committed one (CI)
//   node scripts/widget-facts.mjs --package node_modules/@okta/okta-signin-widget
//
// Options: --check (exit 1 and print what differs instead of writing), --newest (the
// newest committed version, and a note when npm's `latest` is newer), --out DIR (default
// data/widget), --cache DIR (where `npm pack` tarballs are kept and unpacked; default
// $SIW_CACHE or <tmp>/signin-pages-widget), --package DIR (read an installed package
// folder instead of fetching). data/widget/README.md describes every field.
//
// No dependencies: Node 20's standard library, `npm pack` and `tar`.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { extractTokens } from './widget-facts/tokens.mjs';
import { extractContrastPairs } from './widget-facts/contrast.mjs';
import { extractCss } from './widget-facts/css.mjs';
import { SourceMap } from './widget-facts/sources.mjs';

const PACKAGE = '@okta/okta-signin-widget';
/** Bumped when the shape of the JSON changes (src/widget reads it). */
export const FORMAT = 1;

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

function usage(message) {
  if (message) process.stderr.write(`widget-facts: ${message}\n`);
  process.stderr.write(
    'usage: node scripts/widget-facts.mjs [--check] [--newest] [--out DIR] [--cache DIR] [--package DIR] [VERSION...]\n',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const args = { check: false, newest: false, out: path.join(repo, 'data', 'widget'), cache: null, packages: [], versions: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--check') args.check = true;
    else if (a === '--newest') args.newest = true;
    else if (a === '--out') args.out = path.resolve(value());
    else if (a === '--cache') args.cache = path.resolve(value());
    else if (a === '--package') args.packages.push(path.resolve(value()));
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (/^\d+\.\d+\.\d+$/.test(a)) args.versions.push(a);
    else usage(`\`${a}\` is not an exact version such as 7.49.0`);
  }
  args.cache ??= process.env.SIW_CACHE ? path.resolve(process.env.SIW_CACHE) : path.join(os.tmpdir(), 'signin-pages-widget');
  return args;
}

/** The versions that have a data file, oldest first. */
export function committedVersions(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => /^(\d+\.\d+\.\d+)\.json$/.exec(f)?.[1])
    .filter(Boolean)
    .sort(compareVersions);
}

export function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/**
 * The unpacked package of one version: `npm pack` into the cache (once), then `tar` only
 * the folders the facts come from.
 */
function fetchPackage(version, cache) {
  const dir = path.join(cache, version);
  const pkg = path.join(dir, 'package');
  if (fs.existsSync(path.join(pkg, 'package.json')) && fs.existsSync(path.join(dir, '.complete'))) return pkg;
  fs.mkdirSync(dir, { recursive: true });
  process.stderr.write(`widget-facts: npm pack ${PACKAGE}@${version}\n`);
  const out = execFileSync('npm', ['pack', `${PACKAGE}@${version}`, '--json', '--pack-destination', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const tarball = path.join(dir, JSON.parse(out)[0].filename);
  execFileSync(
    'tar',
    ['-xzf', tarball, '-C', dir, 'package/package.json', 'package/dist/labels/json', 'package/dist/js', 'package/dist/css'],
    { stdio: 'inherit' },
  );
  fs.rmSync(tarball);
  fs.writeFileSync(path.join(dir, '.complete'), '');
  return pkg;
}

/** Says so when npm's `latest` is newer than the newest committed version (not an error). */
function noteNewerOnNpm(newest) {
  try {
    const latest = JSON.parse(execFileSync('npm', ['view', PACKAGE, 'version', '--json'], { encoding: 'utf8' }));
    if (compareVersions(latest, newest) > 0) {
      process.stdout.write(`widget-facts: note: npm has ${PACKAGE}@${latest}; data/widget/ ends at ${newest} (add it: node scripts/widget-facts.mjs ${latest})\n`);
    }
  } catch (e) {
    process.stdout.write(`widget-facts: note: could not ask npm for the latest version (${e.message.split('\n')[0]})\n`);
  }
}

const sorted = (xs) => [...new Set(xs)].sort();

/** Every fact of one unpacked package, as the plain object written to JSON. */
export function extractFacts(pkgDir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  if (pkg.name !== PACKAGE) throw new Error(`${pkgDir} holds ${pkg.name}, not ${PACKAGE}`);
  const labels = path.join(pkgDir, 'dist', 'labels', 'json');
  const login = JSON.parse(fs.readFileSync(path.join(labels, 'login.json'), 'utf8'));
  const country = JSON.parse(fs.readFileSync(path.join(labels, 'country.json'), 'utf8'));
  const languages = ['en'];
  for (const f of fs.readdirSync(labels)) {
    const m = /^login_(.+)\.json$/.exec(f);
    if (m) languages.push(m[1]);
  }
  const js = path.join(pkgDir, 'dist', 'js');
  const css = path.join(pkgDir, 'dist', 'css');
  const g2 = fs.existsSync(path.join(js, 'okta-sign-in.min.js'));
  const g3 = fs.existsSync(path.join(js, 'okta-sign-in.next.js'));

  const facts = {
    format: FORMAT,
    package: PACKAGE,
    version: pkg.version,
    generations: { g2, g3 },
    i18n: {
      languages: sorted(languages),
      keys: sorted(Object.keys(login)),
      country_codes: sorted(Object.keys(country)),
    },
  };
  // Gen3 only, and only from the version that reads `config.theme.tokens` (7.11)
  facts.tokens = null;
  facts.contrast_pairs = [];
  const map = g3 ? SourceMap.read(path.join(js, 'okta-sign-in.next.js.map')) : null;
  if (map) {
    facts.tokens = extractTokens(map);
    if (facts.tokens) facts.contrast_pairs = extractContrastPairs(map, facts.tokens);
  }
  facts.css = extractCss({
    gen2Css: fs.readFileSync(path.join(css, 'okta-sign-in.min.css'), 'utf8'),
    gen2Js: g2 ? fs.readFileSync(path.join(js, 'okta-sign-in.min.js'), 'utf8') : '',
    gen3Css: g3 && fs.existsSync(path.join(css, 'okta-sign-in.next.css')) ? fs.readFileSync(path.join(css, 'okta-sign-in.next.css'), 'utf8') : '',
    gen3Map: map,
  });
  return facts;
}

/**
 * The widget strings the preview's stand-in widget shows (src/preview/assets/widget.js),
 * by key. `standInStrings` writes their texts in every language the newest version
 * ships to data/widget/stand-in/strings.json, which the binary embeds; a test keeps this
 * list and the keys widget.js uses in step.
 */
export const STAND_IN_KEYS = [
  // identify, error
  'primaryauth.title', 'primaryauth.username.placeholder', 'oie.remember', 'oform.next', 'help',
  'errors.E0000004',
  // identify's links when the answer offers them: unlock-account, select-enroll-profile
  // ("Don't have an account?" + the link, which G2 labels with the registration title)
  'unlockaccount', 'registration.signup.label',
  // password
  'oie.password.challenge.title', 'mfa.challenge.password.placeholder', 'oie.password.showPassword',
  'oie.password.hidePassword', 'oform.verify', 'forgotpassword', 'oie.verification.switch.authenticator', 'goback',
  // kmsi
  'oie.kmsi.title', 'oie.kmsi.subtitle', 'oie.kmsi.accept', 'oie.kmsi.reject',
  // select-authenticator, unlock-account
  'oie.select.authenticators.verify.title', 'oie.select.authenticators.verify.subtitle', 'oie.password.label',
  'oie.email.label', 'oie.phone.label', 'oie.okta_verify.label', 'oie.security.question.label',
  'oie.verify.authenticator.button.text',
  // email, okta-verify-push, phone-sms, security-question
  'oie.email.mfa.title', 'oie.email.verify.alternate.magicLinkToEmailAddress', 'oie.email.verify.alternate.instructions',
  'oie.email.verify.alternate.show.verificationCode.text', 'mfa.challenge.enterCode.placeholder',
  'oie.okta_verify.push.title', 'oie.okta_verify.push.sent',
  'oie.phone.verify.title', 'oie.phone.verify.sms.codeSentText', 'oie.phone.verify.enterCodeText', 'oie.phone.carrier.charges',
  'oie.security.question.challenge.title', 'security.disliked_food',
  // register
  'oie.registration.form.title', 'oie.user.profile.firstname', 'oie.user.profile.lastname', 'oie.user.profile.primary.email',
  'oie.registration.form.submit', 'haveaccount',
  // forgot-password, reset-password
  'password.reset.title.generic', 'password.forgot.email.or.username.placeholder', 'password.reset.title.specific',
  'password.complexity.requirements.header', 'password.complexity.no_username.description',
  'password.complexity.length.description', 'password.complexity.lowercase.description',
  'password.complexity.number.description', 'password.complexity.uppercase.description',
  'password.complexity.history.description', 'oie.password.newPasswordLabel', 'oie.password.confirmPasswordLabel',
  'password.reset.revokeSessions', 'password.reset',
];

/** Where under --out the stand-in's strings go. */
export const STAND_IN_FILE = path.join('stand-in', 'strings.json');

/**
 * The texts of `keys` in every language of one unpacked package: `{package, version,
 * keys, languages: {en: {key: text}, fr: {...}}}`, languages as the files name them
 * (`pt_BR`). A language file without a key, or with the English text, leaves it out of
 * that language (the stand-in shows English for it, as the widget does); English must
 * have every key.
 */
export function standInStrings(pkgDir, keys = STAND_IN_KEYS) {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const labels = path.join(pkgDir, 'dist', 'labels', 'json');
  const files = { en: 'login.json' };
  for (const f of fs.readdirSync(labels)) {
    const m = /^login_(.+)\.json$/.exec(f);
    if (m) files[m[1]] = f;
  }
  const sortedKeys = sorted(keys);
  const read = (lang) => JSON.parse(fs.readFileSync(path.join(labels, files[lang]), 'utf8'));
  const english = read('en');
  const languages = {};
  for (const lang of Object.keys(files).sort()) {
    const table = lang === 'en' ? english : read(lang);
    const picked = {};
    for (const k of sortedKeys) {
      const text = table[k];
      if (typeof text !== 'string' || text === '' || (lang !== 'en' && text === english[k])) continue;
      picked[k] = text;
    }
    languages[lang] = picked;
  }
  const missing = sortedKeys.filter((k) => !(k in languages.en));
  if (missing.length) throw new Error(`login.json of ${pkg.version} has no ${missing.join(', ')}: the stand-in uses them (STAND_IN_KEYS)`);
  return { package: pkg.name, version: pkg.version, keys: sortedKeys, languages };
}

/** Deterministic text of `standInStrings`: one line per key, then one line per language. */
export function renderStandIn(strings) {
  const head = JSON.stringify({ package: strings.package, version: strings.version, keys: strings.keys });
  const langs = Object.keys(strings.languages)
    .sort()
    .map((l) => `  ${JSON.stringify(l)}: ${JSON.stringify(strings.languages[l])}`);
  return `${head.slice(0, -1)},
 "languages": {
${langs.join(',\n')}
 }
}
`;
}

/**
 * Fields a version may share with the newest older committed version, so that 29
 * versions do not repeat 1,300 key names each: a list is written as
 * `{"from": "7.44.3", "add": [...], "remove": [...]}` (sorted lists only) and any other
 * value that did not change as `{"from": "7.44.3"}`. data/widget/README.md describes it;
 * src/widget reads it the same way.
 */
export const LIST_FIELDS = ['i18n.languages', 'i18n.keys', 'i18n.country_codes', 'css.gen2_only', 'css.shared', 'css.gen3_only'];
export const VALUE_FIELDS = ['tokens', 'contrast_pairs', 'css.ids'];

const get = (obj, field) => field.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
const set = (obj, field, value) => {
  const keys = field.split('.');
  const last = keys.pop();
  keys.reduce((o, k) => o[k], obj)[last] = value;
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** `full` with the fields it shares with `base` (the full facts of an older version) written as references. */
export function share(full, base) {
  const out = structuredClone(full);
  if (!base) return out;
  for (const field of LIST_FIELDS) {
    const mine = get(full, field);
    const theirs = get(base, field);
    if (!Array.isArray(mine) || !Array.isArray(theirs)) continue;
    const had = new Set(theirs);
    const has = new Set(mine);
    const add = mine.filter((x) => !had.has(x));
    const remove = theirs.filter((x) => !has.has(x));
    if (add.length + remove.length > mine.length / 2) continue;
    const ref = { from: base.version };
    if (add.length) ref.add = add;
    if (remove.length) ref.remove = remove;
    set(out, field, ref);
  }
  for (const field of VALUE_FIELDS) {
    if (get(full, field) !== undefined && same(get(full, field), get(base, field))) set(out, field, { from: base.version });
  }
  return out;
}

const isRef = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.from === 'string';

/** The full facts of a shared file; `lookup(version)` gives another version's full facts. */
export function expand(shared, lookup) {
  const out = structuredClone(shared);
  for (const field of [...LIST_FIELDS, ...VALUE_FIELDS]) {
    const v = get(shared, field);
    if (!isRef(v)) continue;
    const base = lookup(v.from);
    if (!base) throw new Error(`${shared.version}: ${field} refers to ${v.from}, which has no data file`);
    if (compareVersions(v.from, shared.version) >= 0) throw new Error(`${shared.version}: ${field} refers to ${v.from}, which is not older`);
    let value = structuredClone(get(base, field));
    if (LIST_FIELDS.includes(field)) {
      const remove = new Set(v.remove ?? []);
      value = [...new Set([...value.filter((x) => !remove.has(x)), ...(v.add ?? [])])].sort();
    }
    set(out, field, value);
  }
  return out;
}

/** Every committed data file, expanded: version → full facts, and version → file text. */
export function loadCommitted(dir) {
  const full = new Map();
  const texts = new Map();
  for (const v of committedVersions(dir)) {
    const text = fs.readFileSync(path.join(dir, `${v}.json`), 'utf8');
    texts.set(v, text);
    full.set(v, expand(JSON.parse(text), (w) => full.get(w)));
  }
  return { full, texts };
}

/** The text of each version's file, each sharing with the next older version in `full`. */
export function renderAll(full) {
  const versions = [...full.keys()].sort(compareVersions);
  const out = new Map();
  versions.forEach((v, i) => out.set(v, render(share(full.get(v), i ? full.get(versions[i - 1]) : null))));
  return out;
}

/**
 * Deterministic JSON: keys in the order written above (objects built in a fixed order,
 * lists sorted), one list item per line so that a diff between versions reads well.
 */
export function render(facts) {
  return `${JSON.stringify(facts, null, 1)}\n`;
}

/** Lines that differ between two renderings, for --check. */
export function diffLines(want, got) {
  const a = want.split('\n');
  const b = got.split('\n');
  const inA = new Set(a);
  const inB = new Set(b);
  const out = [];
  for (const l of a) if (!inB.has(l)) out.push(`- ${l.trim()}`);
  for (const l of b) if (!inA.has(l)) out.push(`+ ${l.trim()}`);
  return out;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const { full, texts } = loadCommitted(args.out);
  const dirs = args.packages.slice();
  let versions = args.versions.length || args.packages.length ? args.versions : [...full.keys()];
  if (args.newest) {
    const newest = [...full.keys()].pop();
    if (!newest) usage(`--newest: no version committed in ${args.out}`);
    versions = [...new Set([...args.versions, newest])];
    noteNewerOnNpm(newest);
  }
  if (!versions.length && !dirs.length) usage(`no version given and none committed in ${args.out}`);
  const fresh = new Map();
  // version → its unpacked package folder, for the stand-in's strings.
  const packageDirs = new Map();
  const extract = (dir, what) => {
    try {
      return extractFacts(dir);
    } catch (e) {
      throw new Error(`${what}: ${e.message}`);
    }
  };
  for (const dir of dirs) {
    const facts = extract(dir, dir);
    fresh.set(facts.version, facts);
    packageDirs.set(facts.version, dir);
  }
  for (const v of versions) {
    const dir = fetchPackage(v, args.cache);
    const facts = extract(dir, v);
    if (facts.version !== v) throw new Error(`npm pack ${PACKAGE}@${v} gave version ${facts.version}`);
    fresh.set(v, facts);
    packageDirs.set(v, dir);
  }
  const all = new Map([...full, ...fresh]);
  const rendered = renderAll(all);
  // The stand-in's strings come from the newest version, when it is one read now.
  const newest = [...all.keys()].sort(compareVersions).pop();
  const standInFile = path.join(args.out, STAND_IN_FILE);
  const standIn = packageDirs.has(newest) ? renderStandIn(standInStrings(packageDirs.get(newest))) : null;
  const standInNow = fs.existsSync(standInFile) ? fs.readFileSync(standInFile, 'utf8') : undefined;

  if (args.check) {
    let failed = false;
    for (const v of [...fresh.keys()].sort(compareVersions)) {
      const file = path.relative(repo, path.join(args.out, `${v}.json`));
      const committed = texts.get(v);
      if (committed === rendered.get(v)) {
        process.stdout.write(`widget-facts: ${v}: the package gives the committed ${file}\n`);
        continue;
      }
      failed = true;
      process.stdout.write(`widget-facts: ${v}: the package does not give the committed ${file}${committed === undefined ? ' (no such file)' : ''}\n`);
      if (committed !== undefined) {
        const lines = diffLines(committed, rendered.get(v));
        for (const l of lines.slice(0, 100)) process.stdout.write(`  ${l}\n`);
        if (lines.length > 100) process.stdout.write(`  … and ${lines.length - 100} more lines\n`);
      }
      process.stdout.write(`  regenerate with: node scripts/widget-facts.mjs ${v}\n`);
    }
    if (standIn !== null) {
      const file = path.relative(repo, standInFile);
      if (standIn === standInNow) {
        process.stdout.write(`widget-facts: ${newest}: the package gives the committed ${file}\n`);
      } else {
        failed = true;
        process.stdout.write(`widget-facts: ${newest}: the package does not give the committed ${file}\n`);
        for (const l of diffLines(standInNow ?? '', standIn).slice(0, 100)) process.stdout.write(`  ${l}\n`);
        process.stdout.write(`  regenerate with: node scripts/widget-facts.mjs ${newest}\n`);
      }
    }
    process.exit(failed ? 1 : 0);
  }

  fs.mkdirSync(args.out, { recursive: true });
  for (const [v, text] of rendered) {
    if (texts.get(v) === text) continue;
    fs.writeFileSync(path.join(args.out, `${v}.json`), text);
    process.stdout.write(`widget-facts: wrote ${path.relative(repo, path.join(args.out, `${v}.json`))} (${text.length} bytes)\n`);
  }
  if (standIn !== null && standIn !== standInNow) {
    fs.mkdirSync(path.dirname(standInFile), { recursive: true });
    fs.writeFileSync(standInFile, standIn);
    process.stdout.write(`widget-facts: wrote ${path.relative(repo, standInFile)} (${standIn.length} bytes)\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`widget-facts: ${e.message}\n`);
    process.exit(1);
  }
}

