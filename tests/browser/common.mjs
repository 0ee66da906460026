// What every browser test shares: where the binary, the browser and the repository are,
// the flags Chromium needs on a machine without internet, and `signin-pages serve` on a
// free port.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = process.env.SIGNIN_PAGES_BIN || join(repo, 'target/debug/signin-pages');
export const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';

// Without the background-networking flags Chromium's own connections are refused on
// machines without internet, and it stalls.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `signin-pages serve` on `projectDir` with `args`; resolves to [process, base URL]. */
export function serve(projectDir, args = []) {
  const proc = spawn(bin, ['serve', '--port', '0', '--color', 'never', '--project', projectDir, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) ok([proc, m[0]]);
    });
    proc.on('exit', (code) => fail(new Error(`serve ${args.join(' ')} exited (${code})`)));
  });
}

/** The installed Sign-In Widget the tests run (run.sh installs the one package-lock.json pins). */
export const widgetDir =
  process.env.SIGNIN_WIDGET_DIR || join(repo, 'tests/browser/node_modules/@okta/okta-signin-widget');

/** The widget's own strings in `locale` (its dist/labels/json/login[_<locale>].json). */
export function widgetStrings(locale, dir = widgetDir) {
  const file = locale === 'en' ? 'login.json' : `login_${locale}.json`;
  return JSON.parse(readFileSync(join(dir, 'dist/labels/json', file), 'utf8'));
}
