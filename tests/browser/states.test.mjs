// Every widget state the preview offers, with the real Sign-In Widget (`serve
// --widget-dir`), in both generations and in `en` and `fr`: the state renders from the
// preview's mock Identity Engine answer with no console error and no CSP violation, and
// the visitor reads what Okta's widget shows in that state — its titles, buttons and
// links (the password state's "Forgot password?" among them). The expected texts are the
// widget's own, read from its dist/labels/json/login*.json by key, so a key that
// disappears from the page in either language fails; and since the widget draws a title,
// button or link only when the answer carries what it needs (`relatesTo`, `recover`, the
// authenticator's `key`…), an answer that loses such a field fails too.
//
// The project is a starter whose locale files set no widget string, so every text on the
// page is the widget's own. Run with tests/browser/run.sh; screenshots go to
// PREVIEW_ARTIFACTS as states-<generation>-<state>-<locale>.png.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, bin, browserPath, repo, serve, widgetDir, widgetStrings } from './common.mjs';

const artifacts = process.env.PREVIEW_ARTIFACTS || join(repo, 'target/preview-artifacts');
const LOCALES = ['en', 'fr'];
const BRAND = 'Example';

// What the visitor reads in each state: widget string keys, or [key, …arguments] for a
// string with `{0}` in it. `both` holds in either generation; G2 and G3 add their own.
const BACK = 'goback';
const OTHER = 'oie.verification.switch.authenticator';
const EXPECTED = {
  identify: {
    both: ['primaryauth.title', 'primaryauth.username.placeholder', 'oie.remember', 'oform.next', 'help'],
  },
  password: {
    both: ['oie.password.challenge.title', 'oform.verify', 'forgotpassword', OTHER, BACK],
  },
  kmsi: {
    both: ['oie.kmsi.title', 'oie.kmsi.subtitle', 'oie.kmsi.accept', 'oie.kmsi.reject'],
  },
  error: {
    both: ['errors.E0000004', 'primaryauth.title', 'oform.next'],
  },
  'select-authenticator': {
    both: [
      'oie.select.authenticators.verify.title',
      'oie.select.authenticators.verify.subtitle',
      'oie.password.label',
      'oie.email.label',
      'oie.phone.label',
      'oie.okta_verify.label',
      'oie.security.question.label',
      BACK,
    ],
    G2: ['oie.verify.authenticator.button.text'],
    G3: ['oie.okta_verify.push.title'],
  },
  email: {
    both: ['oie.email.mfa.title', 'oie.email.verify.alternate.show.verificationCode.text', OTHER, BACK],
  },
  'okta-verify-push': {
    both: ['oie.okta_verify.push.sent', OTHER, BACK],
    G2: ['oie.okta_verify.push.title'],
    G3: ['oie.okta_verify.push.sent.respond_to_continue'],
  },
  'phone-sms': {
    both: ['oie.phone.verify.title', 'oie.phone.carrier.charges', 'mfa.challenge.enterCode.placeholder', 'oform.verify', OTHER, BACK],
  },
  'security-question': {
    both: ['oie.security.question.challenge.title', 'security.disliked_food', 'oform.verify', OTHER, BACK],
  },
  register: {
    both: ['oie.registration.form.title', 'oie.registration.form.submit', 'haveaccount'],
    G3: ['signin'],
  },
  'forgot-password': {
    both: ['password.forgot.email.or.username.placeholder', 'oform.next', BACK],
    G2: ['password.reset.title.generic'],
    G3: [['password.reset.title.specific', BRAND]],
  },
  'reset-password': {
    both: [
      ['password.reset.title.specific', BRAND],
      'password.complexity.requirements.header',
      'oie.password.newPasswordLabel',
      'oie.password.confirmPasswordLabel',
      'password.reset.revokeSessions',
      'password.reset',
      BACK,
    ],
  },
  'unlock-account': {
    both: ['primaryauth.username.placeholder', BACK],
    // G2 asks for the username and the authenticator on one page; G3 in two steps.
    G2: ['oie.select.authenticators.verify.title', 'oie.email.label', 'oie.phone.label'],
    G3: ['account.unlock.title', 'oform.next'],
  },
};

/** Text as the visitor reads it: no-break spaces as spaces, no direction marks. */
const norm = (s) =>
  s.replace(/[\u00a0\u202f]/g, ' ').replace(/[\u200e\u200f]/g, '').replace(/\s+/g, ' ').trim();

/** The texts `state` should show in `generation` and `locale`, from the widget's bundle. */
function expectedTexts(state, generation, locale) {
  const strings = widgetStrings(locale);
  const e = EXPECTED[state];
  return [...e.both, ...(e[generation] || [])].map((entry) => {
    const [key, ...args] = Array.isArray(entry) ? entry : [entry];
    assert.ok(typeof strings[key] === 'string', `the widget has no string ${key} in ${locale}`);
    return { key, text: norm(args.reduce((s, a, i) => s.replace(`{${i}}`, a), strings[key])) };
  });
}

/** Each line of text the widget shows, and the labels of its <input> buttons (G2's). */
function shownLines(page) {
  return page.evaluate(() => {
    const c = document.getElementById('okta-login-container');
    const buttons = [...c.querySelectorAll('input[type=submit], input[type=button]')].map((i) => i.value);
    return [...c.innerText.split('\n'), ...buttons];
  });
}

/** Wait until every expected text is a line of the widget (or the time is up). */
async function waitForTexts(page, expected) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const lines = new Set((await shownLines(page)).map(norm).filter(Boolean));
    const missing = expected.filter((e) => !lines.has(e.text));
    if (!missing.length || Date.now() > deadline) return { lines: [...lines], missing };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A starter project of `generation` whose locale files set no widget string, with
 * `preview` (a `[preview]` table's lines) added to its project file when given. */
function project(dir, generation, preview = '') {
  const p = join(dir, preview ? `${generation}-preview` : generation);
  execFileSync(bin, ['init', p, '-q']);
  const toml = join(p, 'signin-pages.toml');
  const text = readFileSync(toml, 'utf8').replace(/^generation = "G\d"/m, `generation = "${generation}"`);
  writeFileSync(toml, preview ? `${text}\n[preview]\n${preview}` : text);
  for (const locale of LOCALES) {
    const file = join(p, 'locales', `${locale}.toml`);
    const text = readFileSync(file, 'utf8').replace(/^\[(kmsi|widget)\][\s\S]*?(?=^\[|(?![\s\S]))/gm, '');
    assert.doesNotMatch(text, /^\[(kmsi|widget)\]/m);
    writeFileSync(file, text);
  }
  return p;
}

let dir;
let browser;

before(async () => {
  assert.ok(
    existsSync(join(widgetDir, 'dist/js/okta-sign-in.min.js')),
    `no Sign-In Widget in ${widgetDir}: run tests/browser/run.sh (npm ci installs it) or set SIGNIN_WIDGET_DIR`,
  );
  dir = mkdtempSync(join(tmpdir(), 'signin-states-'));
  browser = await chromium.launch({ executablePath: browserPath, args: CHROMIUM_ARGS });
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const generation of ['G2', 'G3']) {
  describe(`every state with the real widget, ${generation}`, () => {
    let proc;
    let url;

    before(async () => {
      [proc, url] = await serve(project(dir, generation), ['--widget-dir', widgetDir]);
    });

    after(() => proc?.kill());

    test('the preview offers exactly the states this test knows', async () => {
      const page = await browser.newPage();
      await page.goto(`${url}prod/${BRAND}/sign-in`);
      const data = JSON.parse(await page.locator('#signin-preview-data').textContent());
      assert.equal(data.widget, 'okta');
      assert.equal(data.widgetGeneration, generation);
      assert.deepEqual(data.states.map((s) => s.name), Object.keys(EXPECTED));
      await page.close();
    });

    for (const state of Object.keys(EXPECTED)) {
      test(`${state} (${generation}, ${LOCALES.join(', ')})`, { timeout: 90000 }, async () => {
        for (const locale of LOCALES) {
          const page = await browser.newPage();
          const problems = [];
          page.on('console', (m) => {
            if (m.type() === 'error') problems.push(`console: ${m.text()}`);
          });
          page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
          await page.goto(`${url}prod/${BRAND}/sign-in?state=${state}&locale=${locale}`);
          const expected = expectedTexts(state, generation, locale);
          const { lines, missing } = await waitForTexts(page, expected);
          await page.screenshot({ path: join(artifacts, `states-${generation}-${state}-${locale}.png`) });
          assert.deepEqual(
            missing.map((m) => `${m.key}: ${JSON.stringify(m.text)}`),
            [],
            `${state} in ${generation}, ${locale}: missing from ${JSON.stringify(lines)}`,
          );
          assert.deepEqual(await page.evaluate(() => window.__signinPreview.violations), [], `${state} ${locale}`);
          assert.deepEqual(problems, [], `${state} ${locale}`);
          await page.close();
        }
        const reports = await (await fetch(`${url}__preview/csp-reports`)).json();
        assert.deepEqual(reports, [], 'no CSP report reached the preview');
      });
    }
  });
}

// Issue 13: "Sign up" and "Unlock account?" appear on the identify screen only in an org
// with self-service registration / unlock on; `[preview] registration` and `unlock` say
// so. With them on, both generations show the widget's own link texts in each locale, and
// following "Sign up" reaches the registration form.
const LINKS = ['registration.signup.text', 'unlockaccount'];
// What the visitor clicks as a link: G2 draws <a>, G3 <button role="link">.
const LINK = '#okta-login-container a, #okta-login-container [role=link]';

/** The texts of the widget's links once every `wanted` one is there (or the time is up). */
async function waitForLinks(page, wanted) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const shown = (await page.locator(LINK).allInnerTexts()).map(norm);
    if (wanted.every((w) => shown.includes(w.text)) || Date.now() > deadline) return shown;
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const generation of ['G2', 'G3']) {
  test(`sign-up and unlock links when [preview] switches them on (${generation})`, { timeout: 90000 }, async () => {
    const [proc, url] = await serve(project(dir, generation, 'registration = true\nunlock = true\n'), [
      '--widget-dir',
      widgetDir,
    ]);
    try {
      for (const locale of LOCALES) {
        const page = await browser.newPage();
        const problems = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`console: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
        await page.goto(`${url}prod/${BRAND}/sign-in?state=identify&locale=${locale}`);
        const strings = widgetStrings(locale);
        const { lines, missing } = await waitForTexts(page, expectedTexts('identify', generation, locale));
        assert.deepEqual(missing, [], `identify in ${generation}, ${locale}: missing from ${JSON.stringify(lines)}`);
        const wanted = LINKS.map((key) => {
          assert.ok(typeof strings[key] === 'string', `the widget has no string ${key} in ${locale}`);
          return { key, text: norm(strings[key]) };
        });
        const shown = await waitForLinks(page, wanted);
        await page.screenshot({ path: join(artifacts, `states-${generation}-identify-links-${locale}.png`) });
        assert.deepEqual(
          wanted.filter((w) => !shown.includes(w.text)).map((m) => `${m.key}: ${JSON.stringify(m.text)}`),
          [],
          `links of identify in ${generation}, ${locale}: not among ${JSON.stringify(shown)}`,
        );
        // Following "Sign up" reaches the registration form.
        const signUp = norm(strings['registration.signup.text']);
        await page.locator(LINK).filter({ hasText: signUp }).first().click();
        const register = expectedTexts('register', generation, locale);
        const after = await waitForTexts(page, register);
        assert.deepEqual(
          after.missing.map((m) => `${m.key}: ${JSON.stringify(m.text)}`),
          [],
          `after "Sign up" in ${generation}, ${locale}: missing from ${JSON.stringify(after.lines)}`,
        );
        assert.deepEqual(await page.evaluate(() => window.__signinPreview.violations), [], locale);
        assert.deepEqual(problems, [], locale);
        await page.close();
      }
    } finally {
      proc.kill();
    }
  });
}
