// okta-signin-widget issue #3856 (open; reported on 6.9.0): with `language: 'fr'` and a
// partial `config.i18n.fr`, every French string the page does not override falls back to
// English, although login_fr.json loads. This runs the real widget the way Okta's hosted
// page and the preview load it (`config.language` set, `assets.baseUrl` serving
// dist/labels/json, `config.i18n.fr` holding one key) in both generations, and checks that
// the strings the page does NOT override are the widget's own French. On 7.x it does not
// happen (7.13.1, 7.30.1, 7.49.0; G2 and G3), so signin-pages has no rule for it; this test
// is the regression guard that would show it coming back.
//
// Run with tests/browser/run.sh. SIGNIN_WIDGET_DIR is the widget (the pinned 7.49.0 by
// default); SIGNIN_WIDGET_DIRS may list more installed widgets, separated by `:`
// (`npm pack @okta/okta-signin-widget@7.13.1` and unpack it).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, bin, browserPath, repo, serve as serveProject } from './common.mjs';

const widgetDirs = [
  process.env.SIGNIN_WIDGET_DIR || join(repo, 'tests/browser/node_modules/@okta/okta-signin-widget'),
  ...(process.env.SIGNIN_WIDGET_DIRS || '').split(':').filter(Boolean),
];

// The one key the page overrides, and the strings of the identify form it does not.
const OVERRIDDEN = 'primaryauth.title';
const OVERRIDE = 'Connexion à ACME';
const NOT_OVERRIDDEN = ['oform.next', 'primaryauth.username.placeholder', 'oie.remember'];

let dir;
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signin-3856-'));
  browser = await chromium.launch({ executablePath: browserPath, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A starter project of `generation` whose French locale overrides one widget string. */
function project(generation) {
  const p = join(dir, `project-${generation}-${Math.random().toString(36).slice(2)}`);
  execFileSync(bin, ['init', p, '-q']);
  const toml = join(p, 'signin-pages.toml');
  writeFileSync(toml, readFileSync(toml, 'utf8').replace(/^generation = "G\d"/m, `generation = "${generation}"`));
  writeFileSync(join(p, 'locales/fr.toml'), `[widget]\n"${OVERRIDDEN}" = "${OVERRIDE}"\n`);
  return p;
}

function serve(projectDir, widgetDir) {
  return serveProject(projectDir, ['--widget-dir', widgetDir]);
}

for (const widgetDir of widgetDirs) {
  const pkg = join(widgetDir, 'package.json');
  const version = existsSync(pkg) ? JSON.parse(readFileSync(pkg, 'utf8')).version : '?';
  for (const generation of ['G2', 'G3']) {
    test(`#3856: a partial config.i18n.fr keeps the widget's own French (${version}, ${generation})`, { timeout: 60000 }, async () => {
      assert.ok(
        existsSync(join(widgetDir, 'dist/js/okta-sign-in.min.js')),
        `no Sign-In Widget in ${widgetDir}: run tests/browser/run.sh`,
      );
      const bundle = (lang) =>
        JSON.parse(readFileSync(join(widgetDir, `dist/labels/json/${lang}.json`), 'utf8'));
      const french = bundle('login_fr');
      const english = bundle('login');
      for (const k of NOT_OVERRIDDEN) assert.notEqual(french[k], english[k], `${k} is translated`);

      const [proc, url] = await serve(project(generation), widgetDir);
      try {
        const page = await browser.newPage();
        await page.goto(`${url}prod/Example/sign-in?state=identify&locale=fr`);
        const container = page.locator('#okta-login-container');
        await container.getByText(OVERRIDE).first().waitFor({ timeout: 20000 });
        // The page's own override shows; wait until the form's other strings are drawn.
        await container.locator('input').first().waitFor({ timeout: 20000 });
        // Its text, and the value of G2's submit button (`<input type="submit">`).
        const shown = (
          (await container.innerText()) +
          '\n' +
          (await container.evaluate((el) =>
            [...el.querySelectorAll('input[type="submit"], input[type="button"]')].map((i) => i.value).join('\n'),
          ))
        ).toLowerCase();
        for (const k of NOT_OVERRIDDEN) {
          const fr = french[k].toLowerCase();
          const en = english[k].toLowerCase();
          assert.ok(shown.includes(fr), `${k}: French ${JSON.stringify(fr)} in ${JSON.stringify(shown)}`);
          assert.ok(!shown.includes(en), `${k}: English ${JSON.stringify(en)} in ${JSON.stringify(shown)}`);
        }
        await page.close();
      } finally {
        proc.kill();
      }
    });
  }
}
