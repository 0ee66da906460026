/*
 * A stand-in for the Okta Sign-In Widget, served by the signin-pages preview. It is not
 * Okta's code: it renders the states a designer needs to see with the widget's element
 * ids, class names and data-se attributes, from the page's own `config` (language, i18n,
 * helpLinks, features, logo, brandName), so that the page's CSS and i18n apply as they
 * will on Okta:
 *
 *   identify  username and the "Keep me signed in" checkbox (oie.remember)
 *   password  the password challenge
 *   kmsi      the post-sign-in Keep me signed in prompt (oie.kmsi.title, .subtitle,
 *             .accept, .reject; Okta fills them from postAuthKeepMeSignedInPrompt)
 *   error     identify with the error the widget shows for a failed sign-in
 *
 * The state comes from the preview's switcher (?state=…); submitting a form moves on as
 * a real sign-in would. No eval, no inline styles: the page's CSP applies to it too.
 */
(function () {
  'use strict';

  var preview = window.__signinPreview || {};

  // The widget's own English text, for keys the page's config does not set.
  var DEFAULTS = {
    'primaryauth.title': 'Sign In',
    'primaryauth.username.placeholder': 'Username',
    'primaryauth.password.placeholder': 'Password',
    'mfa.challenge.password.placeholder': 'Password',
    'oform.next': 'Next',
    'mfa.challenge.verify': 'Verify',
    'oie.remember': 'Keep me signed in',
    'oie.password.challenge.title': 'Verify with your password',
    'oie.kmsi.title': 'Keep me signed in',
    'oie.kmsi.subtitle': 'Sign in and enter security methods less frequently.',
    'oie.kmsi.accept': 'Stay signed in',
    'oie.kmsi.reject': "Don't stay signed in",
    'forgotpassword': 'Forgot password?',
    'unlockaccount': 'Unlock account?',
    'help': 'Help',
    'goback': 'Back to sign in',
    'password.show': 'Show password',
    'password.hide': 'Hide password',
    'errors.E0000004': 'Unable to sign in',
  };

  var FORMS = {
    identify: { formName: 'identify', controller: 'primary-auth' },
    error: { formName: 'identify', controller: 'primary-auth' },
    password: { formName: 'challenge-authenticator', controller: 'mfa-verify-password' },
    kmsi: { formName: 'keep-me-signed-in', controller: 'keep-me-signed-in' },
    success: { formName: 'success-redirect', controller: 'success' },
  };

  var uid = 0;

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      var v = props[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'className') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k === 'on') Object.keys(v).forEach(function (e) { node.addEventListener(e, v[e]); });
      else node.setAttribute(k, v === true ? '' : String(v));
    });
    (children || []).forEach(function (c) {
      if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function stateFromUrl() {
    try {
      return new URL(window.location.href).searchParams.get('state');
    } catch (e) {
      return null;
    }
  }

  function language(config) {
    var lang = config.language;
    if (typeof lang === 'function') {
      try {
        lang = lang(Object.keys(config.i18n || {}), navigator.languages || [navigator.language]);
      } catch (e) {
        lang = null;
      }
    }
    return String(lang || preview.locale || navigator.language || 'en');
  }

  function translator(config, lang) {
    var i18n = config.i18n || {};
    var tables = [lang, lang.toLowerCase(), lang.split('-')[0]]
      .map(function (l) { return i18n[l]; })
      .filter(Boolean);
    return function (key) {
      for (var i = 0; i < tables.length; i++) {
        var v = tables[i][key];
        if (typeof v === 'string' && v !== '') return v;
      }
      return DEFAULTS[key] || key;
    };
  }

  function OktaSignIn(config) {
    if (!(this instanceof OktaSignIn)) return new OktaSignIn(config);
    this.options = config || {};
    this._listeners = {};
    this._root = null;
    this.authClient = {
      session: { exists: function () { return Promise.resolve(false); } },
      token: {},
    };
  }

  OktaSignIn.prototype.on = function (name, fn) {
    (this._listeners[name] = this._listeners[name] || []).push(fn);
    return this;
  };

  OktaSignIn.prototype.off = function (name, fn) {
    if (!name) this._listeners = {};
    else if (!fn) delete this._listeners[name];
    else this._listeners[name] = (this._listeners[name] || []).filter(function (f) { return f !== fn; });
    return this;
  };

  OktaSignIn.prototype._emit = function (name, context) {
    (this._listeners[name] || []).forEach(function (fn) {
      try {
        fn(context);
      } catch (e) {
        console.error(e);
      }
    });
  };

  OktaSignIn.prototype.renderEl = function (options, success, error) {
    options = options || {};
    var target = options.el || this.options.el;
    var root = typeof target === 'string' ? document.querySelector(target) : target;
    if (!root) {
      var err = new Error('Sign-In Widget (preview stand-in): no element matches ' + target);
      if (typeof error === 'function') error(err);
      else console.error(err);
      return;
    }
    this._root = root;
    this._onSuccess = success;
    var state = preview.state || stateFromUrl() || 'identify';
    this._state = FORMS[state] ? state : 'identify';
    this._draw();
    var self = this;
    setTimeout(function () { self._emit('ready', self._context()); }, 0);
  };

  OktaSignIn.prototype.showSignIn = function (options) {
    var self = this;
    return new Promise(function (resolve, reject) { self.renderEl(options || {}, resolve, reject); });
  };
  OktaSignIn.prototype.showSignInToGetTokens = OktaSignIn.prototype.showSignIn;
  OktaSignIn.prototype.showSignInAndRedirect = OktaSignIn.prototype.showSignIn;

  OktaSignIn.prototype.remove = function () {
    if (this._root) this._root.textContent = '';
  };
  OktaSignIn.prototype.hide = function () {
    if (this._root) this._root.classList.add('siw-hidden');
  };
  OktaSignIn.prototype.show = function () {
    if (this._root) this._root.classList.remove('siw-hidden');
  };

  OktaSignIn.prototype._context = function () {
    var f = FORMS[this._state];
    return { controller: f.controller, formName: f.formName };
  };

  OktaSignIn.prototype._go = function (state) {
    this._state = state;
    try {
      var u = new URL(window.location.href);
      if (state !== 'success') {
        u.searchParams.set('state', state);
        window.history.replaceState(null, '', u.toString());
      }
    } catch (e) { /* file: URLs and the like */ }
    this._draw();
  };

  OktaSignIn.prototype._draw = function () {
    var config = this.options;
    var lang = language(config);
    var t = translator(config, lang);
    var generation = (preview.widgetGeneration || 'G2').toLowerCase();
    var view = this['_' + this._state](t, config);
    var container = el('div', {
      id: 'okta-sign-in',
      className: 'auth-container main-container no-beacon siw-stand-in siw-' + generation,
      lang: lang,
      'data-se': 'auth-container',
    }, [
      el('div', { className: 'okta-sign-in-header auth-header' }, [
        el('h1', {}, [
          el('img', {
            className: 'auth-org-logo',
            src: config.logo || '/__preview/logo.svg',
            alt: (config.logoText || config.brandName || 'Organization') + ' logo',
          }),
        ]),
      ]),
      el('div', { className: 'auth-content' }, [
        el('div', { className: 'auth-content-inner' }, [view]),
      ]),
    ]);
    var note = el('p', {
      className: 'siw-stand-in-note',
      text: 'Preview stand-in of the Sign-In Widget · ' + this._state + ' · ' + lang,
    });
    this._root.textContent = '';
    this._root.appendChild(container);
    this._root.appendChild(note);
    var self = this;
    setTimeout(function () { self._emit('afterRender', self._context()); }, 0);
  };

  function title(text) {
    return el('h2', { className: 'okta-form-title o-form-head', 'data-se': 'o-form-head', text: text });
  }

  function subtitle(text) {
    return el('p', { className: 'okta-form-subtitle o-form-explain', 'data-se': 'o-form-explain', text: text });
  }

  function field(label, input, extraClass) {
    var id = 'input' + ++uid;
    input.setAttribute('id', id);
    return el('div', { className: 'o-form-fieldset o-form-label-top ' + (extraClass || '') }, [
      el('div', { className: 'okta-form-label o-form-label' }, [el('label', { for: id, text: label })]),
      el('div', { className: 'o-form-input' }, [
        el('span', { className: 'o-form-input-name-' + input.getAttribute('name') + ' input-fix' }, [input]),
      ]),
    ]);
  }

  function links(items) {
    var shown = items.filter(function (l) { return l && l.text; });
    if (!shown.length) return null;
    return el('div', { className: 'auth-footer' }, shown.map(function (l) {
      return el('a', { href: l.href || '#', className: 'link ' + (l.className || ''), 'data-se': l.se, text: l.text });
    }));
  }

  function submitBar(label, se) {
    return el('div', { className: 'o-form-button-bar' }, [
      el('input', { className: 'button button-primary', type: 'submit', value: label, 'data-type': 'save', 'data-se': se }),
    ]);
  }

  OktaSignIn.prototype._identify = function (t, config, withError) {
    var self = this;
    var features = config.features || {};
    var helpLinks = config.helpLinks || {};
    var fields = [
      field(t('primaryauth.username.placeholder'), el('input', {
        type: 'text', name: 'identifier', autocomplete: 'username', 'data-se': 'o-form-input-identifier',
      })),
    ];
    if (features.rememberMe !== false) {
      var box = el('input', { type: 'checkbox', name: 'rememberMe', id: 'input' + ++uid });
      fields.push(el('div', { className: 'o-form-fieldset o-form-label-top custom-checkbox', 'data-se': 'o-form-fieldset-rememberMe' }, [
        box,
        el('label', { for: box.id, 'data-se': 'remember-me', text: t('oie.remember') }),
      ]));
    }
    var error = withError
      ? el('div', { className: 'o-form-error-container o-form-has-errors', 'data-se': 'o-form-error-container' }, [
          el('div', { className: 'okta-form-infobox-error infobox infobox-error', role: 'alert' }, [
            el('span', { className: 'icon error-16' }),
            el('p', { text: t('errors.E0000004') }),
          ]),
        ])
      : null;
    var custom = (helpLinks.custom || []).map(function (l) {
      return { text: l.text, href: l.href, className: 'custom-link', se: 'custom-link' };
    });
    return el('div', { className: 'siw-main-view primary-auth identify' + (withError ? ' has-error' : '') }, [
      el('form', {
        className: 'ion-form o-form o-form-edit-mode', 'data-se': 'o-form', novalidate: true,
        on: { submit: function (e) { e.preventDefault(); self._go('password'); } },
      }, [
        el('div', { className: 'o-form-content o-form-theme clearfix' }, [
          title(t('primaryauth.title')),
          error,
          el('div', { className: 'o-form-fieldset-container', 'data-se': 'o-form-fieldset-container' }, fields),
        ]),
        submitBar(t('oform.next'), 'save'),
      ]),
      links([{ text: t('help'), href: helpLinks.help, className: 'help js-help', se: 'help' }].concat(custom)),
    ]);
  };

  OktaSignIn.prototype._error = function (t, config) {
    return this._identify(t, config, true);
  };

  OktaSignIn.prototype._password = function (t, config) {
    var self = this;
    var features = config.features || {};
    var helpLinks = config.helpLinks || {};
    var input = el('input', { type: 'password', name: 'credentials.passcode', autocomplete: 'current-password', 'data-se': 'o-form-input-password' });
    var fieldset = field(t('mfa.challenge.password.placeholder'), input, 'password-with-toggle');
    if (features.showPasswordToggleOnSignInPage !== false) {
      var toggle = el('button', {
        type: 'button', className: 'password-toggle button-show', 'aria-label': t('password.show'), 'data-se': 'password-toggle', text: t('password.show'),
        on: {
          click: function () {
            var show = input.type === 'password';
            input.type = show ? 'text' : 'password';
            toggle.textContent = t(show ? 'password.hide' : 'password.show');
          },
        },
      });
      fieldset.querySelector('.o-form-input').appendChild(toggle);
    }
    return el('div', { className: 'siw-main-view challenge-authenticator--okta_password' }, [
      el('form', {
        className: 'ion-form o-form o-form-edit-mode', 'data-se': 'o-form', novalidate: true,
        on: { submit: function (e) { e.preventDefault(); self._go('kmsi'); } },
      }, [
        el('div', { className: 'o-form-content o-form-theme clearfix' }, [
          title(t('oie.password.challenge.title')),
          features.showIdentifier !== false
            ? el('div', { className: 'identifier-container' }, [el('span', { className: 'identifier', 'data-se': 'identifier', text: 'designer@example.com' })])
            : null,
          el('div', { className: 'o-form-fieldset-container' }, [fieldset]),
        ]),
        submitBar(t('mfa.challenge.verify'), 'save'),
      ]),
      links([
        { text: t('forgotpassword'), href: helpLinks.forgotPassword, className: 'forgot-password', se: 'forgot-password' },
        { text: t('help'), href: helpLinks.help, className: 'help js-help', se: 'help' },
        { text: t('goback'), href: '?state=identify', className: 'js-go-back', se: 'cancel' },
      ]),
    ]);
  };

  OktaSignIn.prototype._kmsi = function (t) {
    var self = this;
    var answer = function (keep) {
      return function () { self._done(keep); };
    };
    return el('div', { className: 'siw-main-view keep-me-signed-in' }, [
      el('form', { className: 'ion-form o-form', 'data-se': 'o-form', novalidate: true }, [
        el('div', { className: 'o-form-content o-form-theme clearfix' }, [
          title(t('oie.kmsi.title')),
          subtitle(t('oie.kmsi.subtitle')),
        ]),
        el('div', { className: 'o-form-button-bar kmsi-buttons' }, [
          el('button', { type: 'button', className: 'button button-primary', 'data-se': 'stay-signed-in-btn', text: t('oie.kmsi.accept'), on: { click: answer(true) } }),
          el('button', { type: 'button', className: 'button button-secondary', 'data-se': 'do-not-stay-signed-in-btn', text: t('oie.kmsi.reject'), on: { click: answer(false) } }),
        ]),
      ]),
    ]);
  };

  OktaSignIn.prototype._success = function () {
    return el('div', { className: 'siw-main-view terminal success' }, [
      title('Signed in'),
      subtitle('The preview ends here: on Okta the browser would now return to the app.'),
      el('p', {}, [el('a', { href: '?state=identify', className: 'link', text: 'Start again' })]),
    ]);
  };

  OktaSignIn.prototype._done = function (keepMeSignedIn) {
    var res = {
      status: 'SUCCESS',
      type: 'SESSION_SSO',
      keepMeSignedIn: keepMeSignedIn,
      user: { id: '00upreview000000000', profile: { login: 'designer@example.com' } },
    };
    this._go('success');
    if (typeof this._onSuccess === 'function') this._onSuccess(res);
  };

  window.OktaSignIn = OktaSignIn;
})();
