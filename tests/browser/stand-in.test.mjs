// The preview's stand-in widget, shown when the real one cannot be had (no
// node_modules, no cache, Okta's CDN off): every state the preview offers renders in both
// generations' looks, in `en` and `fr`, with the widget's own texts for that language —
// read here from the installed widget's dist/labels/json/login*.json by key, never
// written down — and no English left where French exists; no console error and no CSP
// violation; the KMSI prompt's two answers drawn outlined, as both real generations
// draw them; the user chip (the mock answers' user, with its icon) on every screen after
// identify, where the real widget shows it; a label saying it is the stand-in and why;
// and its buttons and links lead where the real widget's do, through the same mock
// Identity Engine. With `[preview] registration` / `unlock` on, the mock answers of
// identify and error offer `select-enroll-profile` / `unlock-account`, and the stand-in
// draws "Unlock account?" and "Don't have an account? Sign up" from the answer as the
// real G2 does (its element classes and data-se, the widget's own texts), and following
// them reaches register / unlock-account through the mock; with them off, neither link.
//
// Run with tests/browser/run.sh; screenshots go to PREVIEW_ARTIFACTS as
// stand-in-<generation>-<state>-<locale>.png.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, bin, browserPath, repo, serve, widgetStrings } from './common.mjs';

const artifacts = process.env.PREVIEW_ARTIFACTS || join(repo, 'target/preview-artifacts');
const LOCALES = ['en', 'fr'];
const BRAND = 'Example';
/** The user every mock answer signs in. */
const USER = JSON.parse(readFileSync(join(repo, 'src/preview/idx/shared.json'), 'utf8')).user.value.identifier;

// What the visitor reads in each state, as the real second generation shows it: widget
// string keys, or [key, …arguments] for a string with `{0}` in it.
const BACK = 'goback';
const OTHER = 'oie.verification.switch.authenticator';
const EXPECTED = {
  identify: ['primaryauth.title', 'primaryauth.username.placeholder', 'oie.remember', 'oform.next', 'help'],
  password: ['oie.password.challenge.title', 'mfa.challenge.password.placeholder', 'oform.verify', 'forgotpassword', OTHER, BACK],
  kmsi: ['oie.kmsi.title', 'oie.kmsi.subtitle', 'oie.kmsi.accept', 'oie.kmsi.reject'],
  error: ['errors.E0000004', 'primaryauth.title', 'oform.next'],
  'select-authenticator': [
    'oie.select.authenticators.verify.title',
    'oie.select.authenticators.verify.subtitle',
    'oie.password.label',
    'oie.email.label',
    'oie.phone.label',
    'oie.okta_verify.label',
    'oie.security.question.label',
    'oie.verify.authenticator.button.text',
    BACK,
  ],
  email: ['oie.email.mfa.title', 'oie.email.verify.alternate.show.verificationCode.text', OTHER, BACK],
  'okta-verify-push': ['oie.okta_verify.push.title', 'oie.okta_verify.push.sent', OTHER, BACK],
  'phone-sms': ['oie.phone.verify.title', 'oie.phone.carrier.charges', 'mfa.challenge.enterCode.placeholder', 'oform.verify', OTHER, BACK],
  'security-question': ['oie.security.question.challenge.title', 'security.disliked_food', 'oform.verify', OTHER, BACK],
  register: [
    'oie.registration.form.title',
    'oie.user.profile.firstname',
    'oie.user.profile.lastname',
    'oie.user.profile.primary.email',
    'oie.registration.form.submit',
    'haveaccount',
  ],
  'forgot-password': ['password.reset.title.generic', 'password.forgot.email.or.username.placeholder', 'oform.next', BACK],
  'reset-password': [
    ['password.reset.title.specific', BRAND],
    'password.complexity.requirements.header',
    ['password.complexity.length.description', 8],
    'oie.password.newPasswordLabel',
    'oie.password.confirmPasswordLabel',
    'password.reset.revokeSessions',
    'password.reset',
    BACK,
  ],
  'unlock-account': [
    'oie.select.authenticators.verify.title',
    'primaryauth.username.placeholder',
    'oie.email.label',
    'oie.phone.label',
    BACK,
  ],
};

/** The screens after identify, where the real widget shows the user. */
const WITH_USER = [
  'password',
  'kmsi',
  'select-authenticator',
  'email',
  'okta-verify-push',
  'phone-sms',
  'security-question',
  'reset-password',
];

/** Text as the visitor reads it: no-break spaces as spaces, no direction marks. */
const norm = (s) =>
  s.replace(/[\u00a0\u202f]/g, ' ').replace(/[\u200e\u200f]/g, '').replace(/\s+/g, ' ').trim();

function expectedTexts(state, locale) {
  const strings = widgetStrings(locale);
  const english = widgetStrings('en');
  return EXPECTED[state].map((entry) => {
    const [key, ...args] = Array.isArray(entry) ? entry : [entry];
    assert.ok(typeof strings[key] === 'string', `the widget has no string ${key} in ${locale}`);
    const fill = (s) => norm(args.reduce((t, a, i) => t.replace(`{${i}}`, a), s));
    return { key, text: fill(strings[key]), english: fill(english[key]) };
  });
}

/** Each line of text the widget shows, and the labels of its visible <input> buttons. */
function shownLines(page) {
  return page.evaluate(() => {
    const c = document.getElementById('okta-sign-in');
    const buttons = [...c.querySelectorAll('input[type=submit], input[type=button]')]
      .filter((i) => i.offsetParent !== null)
      .map((i) => i.value);
    return [...c.innerText.split('\n'), ...buttons].map((l) => l.trim()).filter(Boolean);
  });
}

/**
 * A starter project of `generation` whose locale files set no widget string, with
 * `preview` (lines of its `[preview]` table) when given.
 */
function project(dir, generation, preview = '') {
  const p = join(dir, preview ? `${generation}-${preview.replace(/\W+/g, '-')}` : generation);
  execFileSync(bin, ['init', p, '-q']);
  const toml = join(p, 'signin-pages.toml');
  const text = readFileSync(toml, 'utf8').replace(/^generation = "G\d"/m, `generation = "${generation}"`);
  writeFileSync(toml, preview ? `${text}\n[preview]\n${preview}` : text);
  for (const locale of LOCALES) {
    const file = join(p, 'locales', `${locale}.toml`);
    const text = readFileSync(file, 'utf8').replace(/^\[(kmsi|widget)\][\s\S]*?(?=^\[|(?![\s\S]))/gm, '');
    writeFileSync(file, text);
  }
  return p;
}

/** A page with its console errors, page errors and CSP violations collected. */
async function open(browser, url) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url);
  await page.locator('#okta-sign-in [data-se="o-form-head"]').first().waitFor({ timeout: 10000 });
  return { page, problems };
}

/**
 * The identify footer as the stand-in draws it, in the real G2's markup: the `data-se`
 * of each `a.link` directly in `.auth-footer` with its classes and text, and the
 * "Don't have an account? Sign up" line (`.footer-info .signup-info`), or null.
 */
async function offeredLinks(page) {
  const found = await page.evaluate(() => {
    const footer = document.querySelector('#okta-sign-in .siw-main-footer > .auth-footer');
    const text = (e) => e && e.textContent;
    const info = footer.querySelector(':scope > .footer-info > .signup-info');
    const signupLink = info && info.querySelector(':scope > span.signup-link > a.link');
    return {
      footer: [...footer.querySelectorAll(':scope > a.link')].map((a) => a.dataset.se),
      ...(footer.querySelector(':scope > a.link.js-unlock')
        ? { unlock: { se: footer.querySelector('.js-unlock').dataset.se, text: text(footer.querySelector('.js-unlock')) } }
        : {}),
      signup: info
        ? {
            label: text(info.querySelector(':scope > span:first-child')),
            link: signupLink && { className: signupLink.className, se: signupLink.dataset.se, text: text(signupLink) },
          }
        : null,
    };
  });
  return normDeep(found);
}

/** `value` with every string in it as the visitor reads it (`norm`). */
const normDeep = (value) => JSON.parse(JSON.stringify(value), (k, v) => (typeof v === 'string' ? norm(v) : v));

let dir;
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signin-stand-in-'));
  // No widget anywhere: no node_modules above the temporary project, an empty cache,
  // no CDN.
  process.env.SIGNIN_PAGES_WIDGET_CDN = 'off';
  process.env.SIGNIN_PAGES_CACHE_DIR = join(dir, 'cache');
  browser = await chromium.launch({ executablePath: browserPath, args: CHROMIUM_ARGS });
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const generation of ['G2', 'G3']) {
  describe(`every state in the stand-in, ${generation}`, () => {
    let proc;
    let url;

    before(async () => {
      [proc, url] = await serve(project(dir, generation));
    });

    after(() => proc?.kill());

    test('the preview shows the stand-in, and the test knows every state it offers', async () => {
      const { page } = await open(browser, `${url}prod/${BRAND}/sign-in`);
      const data = await page.evaluate(() => window.__signinPreview);
      assert.equal(data.widget, 'stand-in');
      assert.equal(data.widgetGeneration, generation);
      assert.deepEqual(data.states.map((s) => s.name), Object.keys(EXPECTED));
      // Labelled as the stand-in, with the reason the server gave.
      const note = page.locator('[data-se="stand-in-note"]');
      assert.ok(await note.isVisible());
      const said = norm(await note.innerText());
      assert.match(said, /stand-in/i);
      assert.match(data.standIn.reason, /npm install @okta\/okta-signin-widget/);
      assert.ok(said.includes(norm(data.standIn.reason)), said);
      await page.close();
    });

    for (const state of Object.keys(EXPECTED)) {
      test(`${state} (${generation}, ${LOCALES.join(', ')})`, { timeout: 30000 }, async () => {
        for (const locale of LOCALES) {
          const { page, problems } = await open(browser, `${url}prod/${BRAND}/sign-in?state=${state}&locale=${locale}`);
          const lines = new Set((await shownLines(page)).map(norm));
          await page.screenshot({ path: join(artifacts, `stand-in-${generation}-${state}-${locale}.png`) });
          const expected = expectedTexts(state, locale);
          const missing = expected.filter((e) => !lines.has(e.text));
          assert.deepEqual(
            missing.map((m) => `${m.key}: ${JSON.stringify(m.text)}`),
            [],
            `${state} in ${generation}, ${locale}: missing from ${JSON.stringify([...lines])}`,
          );
          // No English where the widget speaks the language.
          const english = expected.filter((e) => e.english !== e.text && lines.has(e.english));
          assert.deepEqual(english.map((e) => `${e.key}: ${JSON.stringify(e.english)}`), [], `${state} ${locale}`);

          // The user chip, with its icon, where the real widget shows it.
          const chip = page.locator('#okta-sign-in [data-se="identifier"]');
          if (WITH_USER.includes(state)) {
            assert.ok(await chip.isVisible(), `${state}: the user chip`);
            assert.equal(norm(await chip.innerText()), USER);
            const icon = await chip.evaluate((e) => {
              const s = getComputedStyle(e, '::before');
              return { content: s.content, width: parseFloat(s.width), height: parseFloat(s.height) };
            });
            assert.notEqual(icon.content, 'none', `${state}: the user icon`);
            assert.ok(icon.width >= 10 && icon.height >= 10, `${state}: the user icon ${JSON.stringify(icon)}`);
          } else {
            assert.equal(await chip.count(), 0, `${state}: no user chip before identify`);
          }

          if (state === 'identify' || state === 'error') {
            // The settings are off: the answer offers neither, so neither link is drawn.
            assert.deepEqual(await offeredLinks(page), { footer: ['help'], signup: null }, `${state} ${locale}`);
          }

          if (state === 'kmsi') {
            // Both answers outlined: a visible border, no fill, as both generations draw them.
            for (const se of ['stay-signed-in-btn', 'do-not-stay-signed-in-btn']) {
              const style = await page.locator(`[data-se="${se}"]`).evaluate((b) => {
                const s = getComputedStyle(b);
                return { border: s.borderTopStyle, width: parseFloat(s.borderTopWidth), background: s.backgroundColor };
              });
              assert.equal(style.border, 'solid', `${se}: ${JSON.stringify(style)}`);
              assert.ok(style.width >= 1, `${se}: ${JSON.stringify(style)}`);
              assert.match(style.background, /^rgba\(\d+, \d+, \d+, 0\)$|^rgb\(255, 255, 255\)$/, `${se} is not filled`);
            }
          }

          assert.deepEqual(await page.evaluate(() => window.__signinPreview.violations), [], `${state} ${locale}`);
          assert.deepEqual(problems, [], `${state} ${locale}`);
          await page.close();
        }
        const reports = await (await fetch(`${url}__preview/csp-reports`)).json();
        assert.deepEqual(reports, [], 'no CSP report reached the preview');
      });
    }

    test('buttons and links lead where the real widget goes, through the mock Identity Engine', { timeout: 30000 }, async () => {
      const fr = widgetStrings('fr');
      const { page, problems } = await open(browser, `${url}prod/${BRAND}/sign-in?state=identify&locale=fr`);
      const at = async (state) => {
        await page.waitForURL(new RegExp(`[?&]state=${state}(&|$)`), { timeout: 10000 });
        await page.locator(`#okta-sign-in .siw-main-view`).first().waitFor();
        return page.evaluate(() => new URL(window.location.href).searchParams.get('state'));
      };
      const submit = () => page.locator('#okta-sign-in input[type=submit]').click();
      const link = (key) => page.locator('#okta-sign-in').getByText(fr[key], { exact: true }).click();

      await page.locator('input[name=identifier]').fill(USER);
      await submit();
      assert.equal(await at('password'), 'password');
      await link('forgotpassword');
      assert.equal(await at('forgot-password'), 'forgot-password');
      await submit();
      assert.equal(await at('reset-password'), 'reset-password');
      await submit();
      assert.equal(await at('kmsi'), 'kmsi');
      await link('oie.kmsi.reject');
      await page.locator('#okta-sign-in .terminal').waitFor({ timeout: 10000 });

      await page.goto(`${url}prod/${BRAND}/sign-in?state=password&locale=fr`);
      await link(OTHER);
      assert.equal(await at('select-authenticator'), 'select-authenticator');
      await page.locator('[data-se="phone_number"] a').click();
      assert.equal(await at('phone-sms'), 'phone-sms');
      await link(BACK);
      assert.equal(await at('identify'), 'identify');

      await page.goto(`${url}prod/${BRAND}/sign-in?state=register&locale=fr`);
      await submit();
      assert.equal(await at('email'), 'email');
      assert.deepEqual(problems, []);
      await page.close();
    });
  });
}

// Issue 13 in the stand-in: what the real G2 draws when the org has self-service
// unlock / registration on (tests/browser/states.test.mjs checks the real widget). The
// texts are the installed widget's, the markup the real G2's: `a.link.js-unlock
// [data-se=unlock]` before Help, and `.footer-info > .signup-info` with the label and
// `a.link.js-enroll[data-se=enroll]` (G2 labels it with `oie.registration.form.title`).
for (const generation of ['G2', 'G3']) {
  test(`sign-up and unlock links when the mock answer offers them (${generation}, ${LOCALES.join(', ')})`, { timeout: 60000 }, async () => {
    const [proc, url] = await serve(project(dir, generation, 'registration = true\nunlock = true\n'));
    try {
      for (const locale of LOCALES) {
        const strings = widgetStrings(locale);
        const expected = {
          footer: ['unlock', 'help'],
          unlock: { se: 'unlock', text: strings.unlockaccount },
          signup: {
            label: strings['registration.signup.label'],
            link: { className: 'link js-enroll', se: 'enroll', text: strings['oie.registration.form.title'] },
          },
        };
        for (const state of ['identify', 'error']) {
          const { page, problems } = await open(browser, `${url}prod/${BRAND}/sign-in?state=${state}&locale=${locale}`);
          await page.screenshot({ path: join(artifacts, `stand-in-${generation}-${state}-links-${locale}.png`) });
          assert.deepEqual(await offeredLinks(page), normDeep(expected), `${state} in ${generation}, ${locale}`);
          for (const se of ['unlock', 'enroll']) {
            assert.ok(await page.locator(`#okta-sign-in [data-se="${se}"]`).isVisible(), `${se} ${state} ${locale}`);
          }

          // Following each reaches its state through the mock Identity Engine: a POST to
          // the href the answer gives, whose answer names the state.
          for (const [se, path, to, formName] of [
            ['enroll', '/idp/idx/enroll', 'register', 'enroll-profile'],
            ['unlock', '/idp/idx/unlock-account', 'unlock-account', 'select-authenticator-unlock-account'],
          ]) {
            await page.goto(`${url}prod/${BRAND}/sign-in?state=${state}&locale=${locale}`);
            await page.locator('#okta-sign-in [data-se="o-form-head"]').waitFor();
            const posted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === path);
            await page.locator(`#okta-sign-in [data-se="${se}"]`).click();
            assert.equal(JSON.parse((await posted).postData()).stateHandle, `preview~${state}`);
            await page.waitForURL(new RegExp(`[?&]state=${to}(&|$)`), { timeout: 10000 });
            await page.locator(`#okta-sign-in .siw-main-view.${formName}`).waitFor({ timeout: 10000 });
          }
          assert.deepEqual(await page.evaluate(() => window.__signinPreview.violations), [], `${state} ${locale}`);
          assert.deepEqual(problems, [], `${state} ${locale}`);
          await page.close();
        }
      }
    } finally {
      proc.kill();
    }
  });
}

// Each link follows its own remediation: with only unlock on, no sign-up line.
test('only the unlock link when only [preview] unlock is on (G2)', { timeout: 30000 }, async () => {
  const [proc, url] = await serve(project(dir, 'G2', 'unlock = true\n'));
  try {
    const { page, problems } = await open(browser, `${url}prod/${BRAND}/sign-in?state=identify&locale=en`);
    assert.deepEqual(await offeredLinks(page), {
      footer: ['unlock', 'help'],
      unlock: { se: 'unlock', text: norm(widgetStrings('en').unlockaccount) },
      signup: null,
    });
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    proc.kill();
  }
});
