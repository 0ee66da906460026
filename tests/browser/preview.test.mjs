// `signin-pages serve` in a real browser: headless Chromium (Debian's), driven by
// playwright-core. Starts the preview on a free port against a fresh starter project
// (`signin-pages init`), then checks what a designer sees: the KMSI prompt and the
// page's own text in French, the browser's own CSP engine (no violation on the starter;
// an inline script without the nonce blocked and reported), reload on save and recovery
// from a template error; and with the real Sign-In Widget (`serve --widget-dir`), the
// KMSI prompt in French with the project's labels and, without any, the widget's own.
//
// Run with tests/browser/run.sh (installs what it needs). Environment:
//   SIGNIN_PAGES_BIN    the binary (default target/debug/signin-pages)
//   CHROMIUM            the browser (default /usr/bin/chromium)
//   SIGNIN_WIDGET_DIR   an installed @okta/okta-signin-widget (default the one
//                       tests/browser/package-lock.json pins, in node_modules)
//   PREVIEW_ARTIFACTS   where screenshots go (default target/preview-artifacts)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, bin, browserPath, repo, serve } from './common.mjs';

const artifacts = process.env.PREVIEW_ARTIFACTS || join(repo, 'target/preview-artifacts');

let dir;
let project;
let server;
let serverLog = '';
let base;
let browser;

const template = () => join(project, 'templates/sign-in.html');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signin-preview-'));
  project = join(dir, 'project');
  execFileSync(bin, ['init', project, '-q']);
  server = spawn(bin, ['serve', '--port', '0', '--color', 'never', '--project', project], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr.on('data', (d) => {
    serverLog += d;
  });
  base = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`serve printed no URL: ${out}${serverLog}`)), 30000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) {
        clearTimeout(timer);
        ok(m[0]);
      }
    });
    server.on('exit', (code) => fail(new Error(`serve exited (${code}): ${serverLog}`)));
  });
  browser = await chromium.launch({ executablePath: browserPath, args: CHROMIUM_ARGS });
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function reports() {
  const r = await fetch(`${base}__preview/csp-reports`);
  return r.json();
}

async function until(what, fn, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pick `value` in the preview's switcher and wait for the page it leads to. */
async function pick(page, key, value) {
  const url = new RegExp(`[?&]${key}=${value}(&|$)`);
  await Promise.all([
    page.waitForURL(url, { waitUntil: 'load' }),
    page.locator(`#signin-preview-bar select[data-k="${key}"]`).selectOption(value),
  ]);
}

const text = (page, se) => page.locator(`[data-se="${se}"]`).first().textContent();

/** A string value of a locale file's `[table]` (the starter writes `key = "text"`). */
function localeValue(tag, table, key) {
  const toml = readFileSync(join(project, 'locales', `${tag}.toml`), 'utf8');
  const section = toml.split(/^\[/m).find((t) => t.startsWith(`${table}]`));
  const m = section && section.match(new RegExp(`^${key} = "(.*)"$`, 'm'));
  assert.ok(m, `${key} in [${table}] of locales/${tag}.toml`);
  return JSON.parse(`"${m[1]}"`);
}

test('the KMSI prompt in French, with no CSP violation', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto(base);
  assert.match(await page.title(), /signin-pages preview/);
  await Promise.all([page.waitForURL(/\/prod\/Example\/sign-in/), page.locator('a.sp-page').first().click()]);
  assert.equal(await text(page, 'o-form-head'), 'Sign In');
  assert.equal(await text(page, 'remember-me'), 'Keep me signed in');
  const help = page.locator('[data-string="help"]');
  assert.equal(await help.textContent(), localeValue('en', 'strings', 'help'));

  await pick(page, 'state', 'kmsi');
  await pick(page, 'locale', 'fr');
  assert.match(page.url(), /state=kmsi/);
  assert.equal(await text(page, 'o-form-head'), 'Rester connecté');
  assert.equal(
    await text(page, 'o-form-explain'),
    'Connectez-vous et saisissez vos méthodes de sécurité moins souvent.',
  );
  assert.equal(await text(page, 'stay-signed-in-btn'), 'Rester connecté');
  assert.equal(await text(page, 'do-not-stay-signed-in-btn'), 'Ne pas rester connecté');
  // The page's own text follows the language too: one page serves every language, and
  // the starter's script switches it to the locale the widget speaks.
  assert.equal(await help.textContent(), localeValue('fr', 'strings', 'help'));
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  await page.screenshot({ path: join(artifacts, 'kmsi-fr.png') });

  // The pre-sign-in checkbox, in French too.
  await pick(page, 'state', 'identify');
  assert.equal(await text(page, 'o-form-head'), 'Connexion');
  assert.equal(await text(page, 'remember-me'), 'Rester connecté');

  // The browser's CSP engine found nothing: not on the page, not at the report-uri.
  await page.waitForTimeout(500);
  assert.deepEqual(await page.evaluate(() => window.__signinPreview.violations), []);
  assert.equal(await page.locator('#signin-preview-bar').getAttribute('data-violations'), '0');
  assert.deepEqual(await reports(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an inline script without the nonce is blocked, shown and reported', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${base}prod/Example/sign-in?state=kmsi&locale=fr`);
  const before = await page.evaluate(() => window.__signinPreview.generation);
  const good = readFileSync(template(), 'utf8');
  const saved = Date.now();
  writeFileSync(
    template(),
    good.replace('{% block body %}', '{% block body %}\n    <script>window.noNonce = true;</script>'),
  );
  // The page reloads itself, and the new one sees the violation as the parser meets it.
  await page.waitForFunction(
    (g) => window.__signinPreview && window.__signinPreview.generation !== g && window.__signinPreview.violations.length > 0,
    before,
    { timeout: 15000 },
  );
  console.log(`# save to reloaded page with the violation: ${Date.now() - saved} ms`);
  assert.equal(await page.evaluate(() => window.noNonce), undefined, 'the script did not run');
  const [v] = await page.evaluate(() => window.__signinPreview.violations);
  assert.match(v.directive, /^script-src/);
  assert.equal(v.blocked, 'inline');
  assert.equal(await page.locator('#signin-preview-bar').getAttribute('data-violations'), '1');
  assert.equal(await text(page, 'csp-count'), '1 CSP violation');
  // The widget still renders: only the page's own script was refused.
  assert.equal(await text(page, 'o-form-head'), 'Rester connecté');
  await page.locator('[data-se="csp-count"]').click();
  await page.screenshot({ path: join(artifacts, 'csp-violation.png') });

  // The browser sent the report to the preview, which located it in the template.
  const [report] = await until('the CSP report', async () => {
    const r = await reports();
    return r.length ? r : null;
  });
  assert.equal(report.blockedUri, 'inline');
  assert.match(report.effectiveDirective, /^script-src/);
  assert.equal(report.target, 'prod/Example');
  assert.match(report.location, /^templates\/sign-in\.html:9:/);
  assert.match(serverLog, /CSP violation: an inline <script> blocked by script-src/);

  writeFileSync(template(), good);
  await page.close();
});

test('a template error replaces the page, which recovers by itself', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${base}prod/Example/sign-in`);
  const good = readFileSync(template(), 'utf8');
  writeFileSync(template(), good.replace('{{ strings.help }}', '{{ strings.hlep }}'));
  const diagnostics = page.locator('#signin-preview-diagnostics');
  await diagnostics.waitFor({ timeout: 15000 });
  const shown = await diagnostics.textContent();
  assert.match(shown, /error\[T002\]/);
  assert.match(shown, /templates\/sign-in\.html:9:/);
  assert.match(shown, /\^/);
  writeFileSync(template(), good);
  await page.locator('[data-se="o-form-head"]').waitFor({ timeout: 15000 });
  assert.equal(await text(page, 'o-form-head'), 'Sign In');
  await page.close();
});

// The real Sign-In Widget (`serve --widget-dir`), driven by the preview's mock Identity
// Engine answers: the npm package tests/browser/package-lock.json pins (run.sh installs
// it), or SIGNIN_WIDGET_DIR.
const widgetDir =
  process.env.SIGNIN_WIDGET_DIR || join(repo, 'tests/browser/node_modules/@okta/okta-signin-widget');
const widgetMissing = () =>
  assert.ok(
    existsSync(join(widgetDir, 'dist/js/okta-sign-in.min.js')),
    `no Sign-In Widget in ${widgetDir}: run tests/browser/run.sh (npm ci installs it) or set SIGNIN_WIDGET_DIR`,
  );

/** The KMSI prompt's text in the real widget, for `locale`, once it shows `waitFor`. */
async function realKmsiPrompt(projectDir, locale, waitFor, shot) {
  const [real, url] = await serve(projectDir, ['--widget-dir', widgetDir]);
  try {
    const page = await browser.newPage();
    await page.goto(`${url}prod/Example/sign-in?state=kmsi&locale=${locale}`);
    const container = page.locator('#okta-login-container');
    await container.getByText(waitFor).first().waitFor({ timeout: 20000 });
    const shown = await container.innerText();
    await page.screenshot({ path: join(artifacts, shot) });
    assert.deepEqual(await page.evaluate(() => window.__signinPreview.violations), []);
    await page.close();
    return shown;
  } finally {
    real.kill();
  }
}

test('the real widget shows the project\'s KMSI labels in French', { timeout: 60000 }, async () => {
  widgetMissing();
  const shown = await realKmsiPrompt(project, 'fr', localeValue('fr', 'kmsi', 'reject'), 'kmsi-fr-real-widget.png');
  for (const key of ['title', 'subtitle', 'accept', 'reject']) {
    assert.ok(shown.includes(localeValue('fr', 'kmsi', key)), `${key} in ${shown}`);
  }
});

test('with no KMSI labels in the project, the real widget shows its own French text', { timeout: 60000 }, async () => {
  widgetMissing();
  // A starter whose locales set no KMSI label: nothing goes to Okta, and the page adds
  // nothing to config.i18n, so the widget speaks its own translation.
  const bare = join(dir, 'no-kmsi-labels');
  execFileSync(bin, ['init', bare, '-q']);
  const fr = join(bare, 'locales/fr.toml');
  writeFileSync(fr, readFileSync(fr, 'utf8').replace(/^\[kmsi\][\s\S]*?(?=^\[)/m, ''));
  execFileSync(bin, ['build', '--project', bare, '-q']);
  const body = JSON.parse(readFileSync(join(bare, 'dist/prod/Example/sign-in.json'), 'utf8'));
  assert.equal(body.widgetCustomizations.postAuthKeepMeSignedInPrompt, undefined);

  // What the widget itself says, from the installed package.
  const bundle = (lang) =>
    JSON.parse(readFileSync(join(widgetDir, `dist/labels/json/${lang}.json`), 'utf8'));
  const french = bundle('login_fr');
  const english = bundle('login');
  const keys = ['oie.kmsi.title', 'oie.kmsi.subtitle', 'oie.kmsi.accept', 'oie.kmsi.reject'];
  for (const k of keys) assert.ok(french[k] && french[k] !== english[k], `${k} is translated`);

  const shown = await realKmsiPrompt(bare, 'fr', french['oie.kmsi.reject'], 'kmsi-fr-real-widget-own-text.png');
  for (const k of keys) {
    assert.ok(shown.includes(french[k]), `${k}: ${JSON.stringify(french[k])} in ${JSON.stringify(shown)}`);
    assert.ok(!shown.includes(english[k]), `${k}: no English ${JSON.stringify(english[k])} in ${JSON.stringify(shown)}`);
  }
});

/** The computed background colour of the real Gen3 widget's primary (submit) button. */
async function primaryButtonBackground(projectDir, shot) {
  const [real, url] = await serve(projectDir, ['--widget-dir', widgetDir]);
  try {
    const page = await browser.newPage();
    await page.goto(`${url}prod/Example/sign-in`);
    const button = page.locator('#okta-login-container button[type="submit"]').first();
    await button.waitFor({ timeout: 20000 });
    const colour = await button.evaluate((b) => getComputedStyle(b).backgroundColor);
    await page.screenshot({ path: join(artifacts, shot) });
    await page.close();
    return colour;
  } finally {
    real.kill();
  }
}

test('[widget.tokens] reach the real Gen3 widget: PalettePrimaryMain colours the primary button', { timeout: 90000 }, async () => {
  widgetMissing();
  // The starter is G3 and sets PalettePrimaryMain; a brand's `tokens` overrides it.
  const themed = join(dir, 'tokens');
  execFileSync(bin, ['init', themed, '-q']);
  const toml = join(themed, 'signin-pages.toml');
  const starter = readFileSync(toml, 'utf8');
  const main = starter.match(/^PalettePrimaryMain = "#([0-9a-f]{6})"/m);
  assert.ok(main, 'the starter sets PalettePrimaryMain');
  const rgb = (hex) =>
    `rgb(${[0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
  assert.equal(await primaryButtonBackground(themed, 'tokens-starter.png'), rgb(main[1]));

  writeFileSync(toml, `${starter}tokens = { PalettePrimaryMain = "#0f5c45" }\n`);
  assert.equal(await primaryButtonBackground(themed, 'tokens-brand.png'), rgb('0f5c45'));
});
