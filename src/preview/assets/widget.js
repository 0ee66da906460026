/*
 * A stand-in for the Okta Sign-In Widget, served by the signin-pages preview only when the
 * real widget cannot be had (no installed package, no cached copy, Okta's CDN out of
 * reach; `window.__signinPreview.standIn.reason` says which, and the stand-in shows it).
 * It is not Okta's code: it draws every state the preview offers as the second
 * generation draws it — the same titles, fields, buttons and links, with the widget's
 * element ids, class names and data-se attributes — so that the page's CSS and i18n
 * apply as they will on Okta:
 *
 *   identify             username, "Keep me signed in", Next, Help (and "Unlock account?",
 *                        "Sign up" when the answer offers them)
 *   password             the password challenge: "Forgot password?", another method, back
 *   kmsi                 the post-sign-in Keep me signed in prompt, both buttons outlined
 *   error                identify with "Unable to sign in"
 *   select-authenticator every enrolled authenticator, each with Select
 *   email                the email challenge (magic link, or a code)
 *   okta-verify-push     push sent
 *   phone-sms            the SMS code challenge
 *   security-question    the security question
 *   register             sign up: first name, last name, email
 *   forgot-password      email or username to reset the password
 *   reset-password       the new password with its requirements
 *   unlock-account       username and the authenticator to unlock with
 *
 * Its texts are the widget's own in the page's language (`standIn.strings`, from the
 * widget's labels: data/widget/stand-in/strings.json), the page's `config.i18n`
 * overriding them as it does the widget's. Every screen after identify shows the user
 * (`standIn.user`, the mock answers' user) as the real widget does. Like the real widget
 * it reads each state from the preview's mock Identity Engine (`/idp/idx/…`): it
 * introspects the state first, and draws what depends on the org from that answer — the
 * "Unlock account?" and "Sign up" links beside the identify form appear exactly when the
 * answer offers `unlock-account` / `select-enroll-profile` (the project's `[preview]`
 * settings decide that on the server). Where a button or link leads, it posts there, so
 * both move on alike.
 *
 * The state comes from the preview's switcher (?state=…). No eval, no inline styles:
 * the page's CSP applies to it too.
 */
(function () {
  'use strict';

  var preview = window.__signinPreview || {};
  var standIn = preview.standIn || {};
  var STRINGS = standIn.strings || {};
  var USER = standIn.user || {};

  // Each state: the IDX form the real widget shows (its `formName`), the Gen2 controller
  // (a class on the view and the `controller` of afterRender) and the authenticator.
  var FORMS = {
    identify: { formName: 'identify', controller: 'primary-auth' },
    error: { formName: 'identify', controller: 'primary-auth' },
    password: { formName: 'challenge-authenticator', controller: 'mfa-verify-password', key: 'okta_password', method: 'password' },
    kmsi: { formName: 'keep-me-signed-in', controller: null },
    'select-authenticator': { formName: 'select-authenticator-authenticate', controller: null },
    email: { formName: 'challenge-authenticator', controller: 'mfa-verify-passcode', key: 'okta_email', method: 'email' },
    'okta-verify-push': { formName: 'challenge-poll', controller: 'mfa-verify', key: 'okta_verify', method: 'push' },
    'phone-sms': { formName: 'challenge-authenticator', controller: 'mfa-verify-passcode', key: 'phone_number', method: 'sms' },
    'security-question': { formName: 'challenge-authenticator', controller: 'mfa-verify-question', key: 'security_question', method: 'security_question' },
    register: { formName: 'enroll-profile', controller: 'registration' },
    'forgot-password': { formName: 'identify-recovery', controller: 'forgot-password' },
    'reset-password': { formName: 'reset-authenticator', controller: 'forgot-password', key: 'okta_password', method: 'password' },
    'unlock-account': { formName: 'select-authenticator-unlock-account', controller: null },
    success: { formName: 'success-redirect', controller: null },
  };

  // The label the widget gives each authenticator, by its key.
  var AUTHENTICATOR_LABELS = {
    okta_password: 'oie.password.label',
    okta_email: 'oie.email.label',
    phone_number: 'oie.phone.label',
    okta_verify: 'oie.okta_verify.label',
    security_question: 'oie.security.question.label',
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

  /** `t(key)`: the page's `config.i18n` for the language, else the widget's own text. */
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
      if (typeof STRINGS[key] === 'string') return STRINGS[key];
      // A key data/widget/stand-in/strings.json lacks (scripts/widget-facts.mjs lists them).
      console.error('Sign-In Widget (preview stand-in): no text for ' + key);
      return key;
    };
  }

  /**
   * The text of `key` with `{0}`, `{1}` filled in from `args`, as nodes: the widget's
   * `<$1>…</$1>` marks (a value it emphasises) become `<span class="strong">`.
   */
  function rich(t, key, args) {
    var text = t(key).replace(/\{(\d+)\}/g, function (m, i) {
      return args && args[i] !== undefined ? String(args[i]) : m;
    });
    var nodes = [];
    var re = /<\$(\d+)>([\s\S]*?)<\/\$\1>/g;
    var at = 0;
    var m;
    while ((m = re.exec(text))) {
      if (m.index > at) nodes.push(text.slice(at, m.index));
      nodes.push(el('span', { className: 'strong no-translate', text: m[2] }));
      at = re.lastIndex;
    }
    if (at < text.length) nodes.push(text.slice(at));
    return nodes;
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
    this._state = FORMS[state] && state !== 'success' ? state : 'identify';
    var self = this;
    // As the real widget does: introspect the state, then draw what the answer offers.
    this._request('/idp/idx/introspect', { stateToken: 'preview~' + this._state })
      .catch(function (e) {
        console.error('Sign-In Widget (preview stand-in): ' + e.message);
        return null;
      })
      .then(function (answer) {
        self._answer = answer;
        self._draw();
        self._emit('ready', self._context());
      });
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
    var context = { controller: f.controller, formName: f.formName };
    if (f.key) {
      context.authenticatorKey = f.key;
      context.methodType = f.method;
    }
    return context;
  };

  OktaSignIn.prototype._go = function (state) {
    this._state = FORMS[state] ? state : 'identify';
    try {
      var u = new URL(window.location.href);
      if (state !== 'success') {
        u.searchParams.set('state', state);
        window.history.replaceState(null, '', u.toString());
      }
    } catch (e) { /* file: URLs and the like */ }
    this._draw();
  };

  /** POST `payload` to the mock Identity Engine at `url`: its JSON answer. */
  OktaSignIn.prototype._request = function (url, payload) {
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json; okta-version=1.0.0' },
      body: JSON.stringify(payload),
    }).then(function (r) {
      if (!r.ok) throw new Error(url + ' answered ' + r.status);
      return r.json();
    });
  };

  /** The form named `name` the current answer offers (`remediation.value`), or null. */
  OktaSignIn.prototype._remediation = function (name) {
    var forms = ((this._answer || {}).remediation || {}).value;
    return (Array.isArray(forms) ? forms : []).filter(function (f) { return f && f.name === name; })[0] || null;
  };

  /**
   * Send what the visitor did to the preview's mock Identity Engine, as the real widget
   * does (`/idp/idx/<path>`, or the `href` of a form the answer offers, with the state
   * handle), and show the state it answers.
   */
  OktaSignIn.prototype._post = function (path, body) {
    var self = this;
    var payload = { stateHandle: 'preview~' + this._state };
    Object.keys(body || {}).forEach(function (k) { payload[k] = body[k]; });
    return this._request(/^(https?:)?\//.test(path) ? path : '/idp/idx/' + path, payload)
      .then(function (answer) {
        if (answer.success) return self._done(!!payload.keepMeSignedIn);
        self._answer = answer;
        var handle = String(answer.stateHandle || '');
        self._go(handle.indexOf('preview~') === 0 ? handle.slice('preview~'.length) : 'identify');
      })
      .catch(function (e) {
        console.error('Sign-In Widget (preview stand-in): ' + e.message);
      });
  };

  OktaSignIn.prototype._draw = function () {
    var config = this.options;
    var lang = language(config);
    var t = translator(config, lang);
    var generation = (preview.widgetGeneration || 'G2').toLowerCase();
    var f = FORMS[this._state];
    var view = this['_' + this._state.replace(/-([a-z])/g, function (m, c) { return c.toUpperCase(); })](t, config);
    view.className = ['siw-main-view', f.formName + (f.key ? '--' + f.key : ''), f.controller, view.className]
      .filter(Boolean)
      .join(' ');
    var container = el('main', {
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
    var note = el('p', { className: 'siw-stand-in-note', 'data-se': 'stand-in-note' }, [
      el('strong', { text: "The preview's stand-in, not the Okta Sign-In Widget" }),
      ' (' + this._state + ', ' + lang + '): ' + (standIn.reason || 'the real widget could not be loaded') + '.',
    ]);
    this._root.textContent = '';
    this._root.appendChild(container);
    this._root.appendChild(note);
    var self = this;
    setTimeout(function () { self._emit('afterRender', self._context()); }, 0);
  };

  // The pieces every screen is made of.

  function title(text) {
    return el('h2', { className: 'okta-form-title o-form-head', 'data-se': 'o-form-head', text: text });
  }

  function subtitle(nodes, tag) {
    return el(tag || 'p', { className: 'okta-form-subtitle o-form-explain', 'data-se': 'o-form-explain' }, nodes);
  }

  /** The signed-in user, as every screen after identify shows it (`showIdentifier`). */
  function identifier(config) {
    if ((config.features || {}).showIdentifier === false || !USER.identifier) return null;
    return el('div', { className: 'identifier-container' }, [
      el('span', { className: 'identifier no-translate', 'data-se': 'identifier', text: USER.identifier }),
    ]);
  }

  function input(type, name, autocomplete) {
    return el('input', { type: type, name: name, autocomplete: autocomplete, id: 'input' + ++uid });
  }

  function field(label, control, extraClass) {
    var name = control.getAttribute('name');
    return el('div', { className: 'o-form-fieldset o-form-label-top' + (extraClass ? ' ' + extraClass : ''), 'data-se': 'o-form-fieldset-' + name }, [
      el('div', { className: 'okta-form-label o-form-label', 'data-se': 'o-form-label' }, [el('label', { for: control.id, text: label })]),
      el('div', { className: 'o-form-input', 'data-se': 'o-form-input-container' }, [
        el('span', { className: 'o-form-input-name-' + name + ' o-form-control okta-form-input-field input-fix', 'data-se': 'o-form-input-' + name }, [control]),
      ]),
    ]);
  }

  function checkbox(label, name, se) {
    var box = input('checkbox', name);
    return el('div', { className: 'o-form-fieldset o-form-label-top', 'data-se': 'o-form-fieldset-' + name }, [
      el('div', { className: 'o-form-input', 'data-se': 'o-form-input-container' }, [
        el('span', { className: 'o-form-input-name-' + name, 'data-se': 'o-form-input-' + name }, [
          el('div', { className: 'custom-checkbox' }, [box, el('label', { for: box.id, 'data-se': se, text: label })]),
        ]),
      ]),
    ]);
  }

  /** A password field with the widget's show/hide toggle (an icon, named for screen readers). */
  function passwordField(t, config, label, name, autocomplete) {
    var control = input('password', name, autocomplete);
    control.className = 'password-with-toggle';
    var fieldset = field(label, control);
    if ((config.features || {}).showPasswordToggleOnSignInPage !== false) {
      var toggle = el('button', {
        type: 'button', className: 'password-toggle button-show', 'aria-label': t('oie.password.showPassword'),
        title: t('oie.password.showPassword'), 'data-se': 'password-toggle',
        on: {
          click: function () {
            var show = control.type === 'password';
            control.type = show ? 'text' : 'password';
            toggle.className = 'password-toggle ' + (show ? 'button-hide' : 'button-show');
            var label = t(show ? 'oie.password.hidePassword' : 'oie.password.showPassword');
            toggle.setAttribute('aria-label', label);
            toggle.setAttribute('title', label);
          },
        },
      });
      fieldset.querySelector('.o-form-input').appendChild(toggle);
    }
    return fieldset;
  }

  /** What the form submits, by field name (`credentials.passcode` → nested). */
  function values(form) {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll('input[name]'), function (i) {
      var v = i.type === 'checkbox' ? i.checked : i.value;
      var path = i.name.split('.');
      var o = out;
      path.slice(0, -1).forEach(function (k) { o = o[k] = o[k] || {}; });
      o[path[path.length - 1]] = v;
    });
    return out;
  }

  /**
   * A screen: its form (`content`, then the submit button when `submit` names its label),
   * `after` the form, and the footer's links (then `footerInfo`, the sign-up line).
   * Submitting posts the form's values to `/idp/idx/<action>`.
   */
  OktaSignIn.prototype._screen = function (parts) {
    var self = this;
    var form = el('form', {
      className: 'ion-form o-form o-form-edit-mode', 'data-se': 'o-form', novalidate: true,
      on: {
        submit: function (e) {
          e.preventDefault();
          if (parts.action) self._post(parts.action, values(form));
        },
      },
    }, [
      el('div', { className: 'o-form-content o-form-theme clearfix', 'data-se': 'o-form-content' }, parts.content),
      parts.buttons,
      parts.submit
        ? el('div', { className: 'o-form-button-bar' }, [
            el('input', { className: 'button button-primary', type: 'submit', value: parts.submit, 'data-type': 'save' }),
          ])
        : null,
    ]);
    var links = (parts.links || []).filter(function (l) { return l && l.text; });
    return el('div', { className: parts.className || '' }, [
      el('div', { className: 'siw-main-body' }, [form].concat(parts.after || [])),
      el('div', { className: 'siw-main-footer' }, [
        el('div', { className: 'auth-footer' }, links.map(link).concat([parts.footerInfo])),
      ]),
    ]);
  };

  function link(l) {
    return el('a', {
      href: l.href || '#',
      className: 'link ' + (l.className || ''),
      'data-se': l.se,
      text: l.text,
      on: l.go ? { click: function (e) { e.preventDefault(); l.go(); } } : null,
    });
  }

  OktaSignIn.prototype._link = function (what, t) {
    var self = this;
    switch (what) {
      case 'switch':
        return {
          text: t('oie.verification.switch.authenticator'), className: 'js-switchAuthenticator', se: 'switchAuthenticator',
          // The widget draws the select form the answer already holds: no request.
          go: function () { self._go('select-authenticator'); },
        };
      case 'cancel':
        return { text: t('goback'), className: 'js-cancel', se: 'cancel', go: function () { self._post('cancel'); } };
      case 'unlock': {
        // The page's own unlock page when it names one, else the answer's `unlock-account`.
        var unlockUrl = (this.options.helpLinks || {}).unlock;
        var unlock = this._remediation('unlock-account');
        if (!unlockUrl && !unlock) return null;
        return {
          text: t('unlockaccount'), href: unlockUrl, className: 'js-unlock', se: 'unlock',
          go: unlockUrl ? null : function () { self._post(unlock.href); },
        };
      }
      case 'enroll': {
        // The answer's `select-enroll-profile`; the page's `registration.click` instead, if any.
        var enroll = this._remediation('select-enroll-profile');
        if (!enroll) return null;
        var click = (this.options.registration || {}).click;
        return {
          text: t('oie.registration.form.title'), className: 'js-enroll', se: 'enroll',
          go: typeof click === 'function' ? function () { click(); } : function () { self._post(enroll.href); },
        };
      }
      default:
        return null;
    }
  };

  function fields(children) {
    return el('div', { className: 'o-form-fieldset-container', 'data-se': 'o-form-fieldset-container' }, children);
  }

  function errorBox(text) {
    return el('div', { className: 'o-form-error-container o-form-has-errors', 'data-se': 'o-form-error-container', role: 'alert' }, [
      el('div', { className: 'ion-messages-container' }),
      el('div', { className: 'infobox clearfix infobox-error', 'data-se': 'callout' }, [
        el('span', { className: 'icon error-16', 'data-se': 'icon' }),
        el('p', { text: text }),
      ]),
    ]);
  }

  /** The authenticators to choose from (`keys`, in the order the answer lists them). */
  OktaSignIn.prototype._authenticatorList = function (t, keys, describe) {
    var self = this;
    var rows = (USER.authenticators || [])
      .filter(function (a) { return keys.indexOf(a.key) >= 0; })
      .map(function (a) {
        var label = t(AUTHENTICATOR_LABELS[a.key]);
        var description = describe ? describe(a.key) : null;
        return el('div', { className: 'authenticator-row clearfix' }, [
          el('div', { className: 'authenticator-icon-container' }, [
            el('div', { className: 'factor-icon authenticator-icon mfa-' + a.key.replace(/_/g, '-'), role: 'img' }),
          ]),
          el('div', { className: 'authenticator-description' }, [
            el('div', {}, [
              el('h3', { className: 'authenticator-label no-translate', text: label }),
              description ? el('p', { className: 'authenticator-description--text no-translate', text: description }) : null,
            ]),
            el('div', { className: 'authenticator-button', 'data-se': a.key }, [
              el('a', {
                className: 'button select-factor link-button', 'data-se': 'button', href: '#',
                text: t('oie.verify.authenticator.button.text'),
                on: {
                  click: function (e) {
                    e.preventDefault();
                    var form = e.target.closest('.siw-main-view');
                    var who = form && form.querySelector('input[name="identifier"]');
                    var body = { authenticator: { id: a.id } };
                    if (who) body.identifier = who.value;
                    self._post('challenge', body);
                  },
                },
              }),
            ]),
          ]),
        ]);
      });
    return el('div', { className: 'authenticator-verify-list authenticator-list' }, [el('div', { className: 'list-content' }, rows)]);
  };

  // The screens, one per state.

  OktaSignIn.prototype._identify = function (t, config, withError) {
    var features = config.features || {};
    var helpLinks = config.helpLinks || {};
    var list = [field(t('primaryauth.username.placeholder'), input('text', 'identifier', 'username'))];
    if (features.rememberMe !== false) list.push(checkbox(t('oie.remember'), 'rememberMe', 'remember-me'));
    var custom = (helpLinks.custom || []).map(function (l) {
      return { text: l.text, href: l.href, className: 'custom-link', se: 'custom-link' };
    });
    var enroll = this._link('enroll', t);
    return this._screen({
      className: withError ? 'has-error' : '',
      action: 'identify',
      content: [
        title(t('primaryauth.title')),
        withError ? errorBox(t('errors.E0000004')) : null,
        fields(list),
      ],
      submit: t('oform.next'),
      links: [
        this._link('unlock', t),
        { text: t('help'), href: helpLinks.help || (config.baseUrl || '') + '/help/login', className: 'js-help', se: 'help' },
      ].concat(custom),
      // "Don't have an account? Sign up", under the links.
      footerInfo: enroll
        ? el('div', { className: 'footer-info' }, [
            el('div', { className: 'signup-info' }, [
              el('span', { text: t('registration.signup.label') }),
              el('span', { className: 'signup-link' }, [link(enroll)]),
            ]),
          ])
        : null,
    });
  };

  OktaSignIn.prototype._error = function (t, config) {
    return this._identify(t, config, true);
  };

  OktaSignIn.prototype._password = function (t, config) {
    var self = this;
    var helpLinks = config.helpLinks || {};
    return this._screen({
      action: 'challenge/answer',
      content: [
        title(t('oie.password.challenge.title')),
        identifier(config),
        fields([passwordField(t, config, t('mfa.challenge.password.placeholder'), 'credentials.passcode', 'current-password')]),
      ],
      submit: t('oform.verify'),
      links: [
        {
          text: t('forgotpassword'), href: helpLinks.forgotPassword, className: 'js-forgot-password', se: 'forgot-password',
          go: helpLinks.forgotPassword ? null : function () { self._post('recover'); },
        },
        this._link('switch', t),
        this._link('cancel', t),
      ],
    });
  };

  OktaSignIn.prototype._kmsi = function (t, config) {
    var self = this;
    // Both generations draw the two answers alike: outlined, neither filled.
    var answer = function (keep, text, se) {
      return el('a', {
        className: 'button button-secondary link-button', 'data-se': se, href: '#', text: text,
        on: { click: function (e) { e.preventDefault(); self._post('keep-me-signed-in', { keepMeSignedIn: keep }); } },
      });
    };
    return this._screen({
      content: [title(t('oie.kmsi.title')), identifier(config), subtitle([t('oie.kmsi.subtitle')])],
      buttons: el('div', { className: 'kmsi-buttons' }, [
        answer(true, t('oie.kmsi.accept'), 'stay-signed-in-btn'),
        answer(false, t('oie.kmsi.reject'), 'do-not-stay-signed-in-btn'),
      ]),
    });
  };

  OktaSignIn.prototype._selectAuthenticator = function (t, config) {
    return this._screen({
      content: [
        title(t('oie.select.authenticators.verify.title')),
        identifier(config),
        subtitle([t('oie.select.authenticators.verify.subtitle')]),
      ],
      buttons: this._authenticatorList(t, Object.keys(AUTHENTICATOR_LABELS), function (key) {
        if (key === 'okta_email') return USER.email;
        if (key === 'phone_number') return USER.phone;
        if (key === 'okta_verify') return t('oie.okta_verify.label');
        return null;
      }),
      links: [this._link('cancel', t)],
    });
  };

  OktaSignIn.prototype._email = function (t, config) {
    var code = field(t('mfa.challenge.enterCode.placeholder'), input('text', 'credentials.passcode', 'one-time-code'));
    var bar = el('div', { className: 'o-form-button-bar' }, [
      el('input', { className: 'button button-primary', type: 'submit', value: t('oform.verify'), 'data-type': 'save' }),
    ]);
    code.hidden = true;
    bar.hidden = true;
    var instead = el('button', {
      type: 'button', className: 'button-link enter-auth-code-instead-link',
      text: t('oie.email.verify.alternate.show.verificationCode.text'),
      on: {
        click: function () {
          code.hidden = false;
          bar.hidden = false;
          instead.hidden = true;
        },
      },
    });
    var screen = this._screen({
      action: 'challenge/answer',
      content: [
        title(t('oie.email.mfa.title')),
        identifier(config),
        el('div', { className: 'okta-form-subtitle', 'data-se': 'o-form-explain' },
          rich(t, 'oie.email.verify.alternate.magicLinkToEmailAddress', [USER.email])
            .concat(rich(t, 'oie.email.verify.alternate.instructions'))
            .concat([' ', instead])),
        fields([code]),
      ],
      buttons: bar,
      links: [this._link('switch', t), this._link('cancel', t)],
    });
    return screen;
  };

  OktaSignIn.prototype._oktaVerifyPush = function (t, config) {
    return this._screen({
      content: [
        title(t('oie.okta_verify.push.title')),
        identifier(config),
        fields([
          el('a', {
            className: 'button button-wide button-primary send-push link-button-disabled link-button', 'data-se': 'button',
            href: '#', 'aria-disabled': 'true', text: t('oie.okta_verify.push.sent'),
            on: { click: function (e) { e.preventDefault(); } },
          }),
        ]),
      ],
      links: [this._link('switch', t), this._link('cancel', t)],
    });
  };

  OktaSignIn.prototype._phoneSms = function (t, config) {
    return this._screen({
      action: 'challenge/answer',
      content: [
        title(t('oie.phone.verify.title')),
        identifier(config),
        fields([
          el('div', { className: 'okta-form-subtitle', 'data-se': 'o-form-explain' }, [
            t('oie.phone.verify.sms.codeSentText') + ' ',
            el('span', { className: 'strong no-translate nowrap', text: USER.phone }),
            el('span', { className: 'no-translate', text: '.' }),
            ' ' + t('oie.phone.verify.enterCodeText'),
            el('p', { text: t('oie.phone.carrier.charges') }),
          ]),
          field(t('mfa.challenge.enterCode.placeholder'), input('text', 'credentials.passcode', 'one-time-code')),
        ]),
      ],
      submit: t('oform.verify'),
      links: [this._link('switch', t), this._link('cancel', t)],
    });
  };

  OktaSignIn.prototype._securityQuestion = function (t, config) {
    return this._screen({
      action: 'challenge/answer',
      content: [
        title(t('oie.security.question.challenge.title')),
        identifier(config),
        // The question the mock answer asks (`disliked_food`), in the widget's words.
        fields([field(t('security.disliked_food'), input('text', 'credentials.answer'))]),
      ],
      submit: t('oform.verify'),
      links: [this._link('switch', t), this._link('cancel', t)],
    });
  };

  OktaSignIn.prototype._register = function (t) {
    var self = this;
    return this._screen({
      action: 'enroll/new',
      content: [
        title(t('oie.registration.form.title')),
        fields([
          field(t('oie.user.profile.firstname'), input('text', 'userProfile.firstName', 'given-name')),
          field(t('oie.user.profile.lastname'), input('text', 'userProfile.lastName', 'family-name')),
          field(t('oie.user.profile.primary.email'), input('text', 'userProfile.email', 'email')),
        ]),
      ],
      submit: t('oie.registration.form.submit'),
      // "Already have an account?": the answer's `select-identify` form.
      links: [{ text: t('haveaccount'), className: 'js-back', se: 'back', go: function () { self._post('identify'); } }],
    });
  };

  OktaSignIn.prototype._forgotPassword = function (t) {
    return this._screen({
      action: 'identify',
      content: [
        title(t('password.reset.title.generic')),
        fields([field(t('password.forgot.email.or.username.placeholder'), input('text', 'identifier', 'username'))]),
      ],
      submit: t('oform.next'),
      links: [this._link('cancel', t)],
    });
  };

  OktaSignIn.prototype._resetPassword = function (t, config) {
    // The requirements of the mock answer's password policy (idx/reset-password.json):
    // no parts of the username, 8 characters, a lowercase letter, a number, an uppercase
    // letter, none of the last 4 passwords.
    var rules = [
      ['password.complexity.no_username.description'],
      ['password.complexity.length.description', 8],
      ['password.complexity.lowercase.description'],
      ['password.complexity.number.description'],
      ['password.complexity.uppercase.description'],
      ['password.complexity.history.description', 4],
    ];
    return this._screen({
      action: 'challenge/answer',
      content: [
        title(rich(t, 'password.reset.title.specific', [config.brandName || 'Okta']).map(function (n) {
          return typeof n === 'string' ? n : n.textContent;
        }).join('')),
        identifier(config),
        fields([
          el('section', { 'data-se': 'password-authenticator--rules' }, [
            el('div', { className: 'password-authenticator--heading', text: t('password.complexity.requirements.header') }),
            el('ul', { className: 'password-authenticator--list' }, rules.map(function (r) {
              return el('li', {}, rich(t, r[0], r.slice(1)));
            })),
          ]),
          passwordField(t, config, t('oie.password.newPasswordLabel'), 'credentials.passcode', 'new-password'),
          passwordField(t, config, t('oie.password.confirmPasswordLabel'), 'confirmPassword', 'new-password'),
          checkbox(t('password.reset.revokeSessions'), 'credentials.revokeSessions'),
        ]),
      ],
      submit: t('password.reset'),
      links: [this._link('cancel', t)],
    });
  };

  OktaSignIn.prototype._unlockAccount = function (t) {
    return this._screen({
      content: [
        title(t('oie.select.authenticators.verify.title')),
        subtitle([t('oie.select.authenticators.verify.subtitle')]),
        fields([field(t('primaryauth.username.placeholder'), input('text', 'identifier', 'username'))]),
      ],
      buttons: this._authenticatorList(t, ['okta_email', 'phone_number']),
      links: [this._link('cancel', t)],
    });
  };

  OktaSignIn.prototype._success = function () {
    return el('div', { className: 'terminal' }, [
      title('Signed in'),
      subtitle(['The preview ends here: on Okta the browser would now return to the app.']),
      el('p', {}, [el('a', { href: '?state=identify', className: 'link', text: 'Start again' })]),
    ]);
  };

  OktaSignIn.prototype._done = function (keepMeSignedIn) {
    var res = {
      status: 'SUCCESS',
      type: 'SESSION_SSO',
      keepMeSignedIn: keepMeSignedIn,
      user: { id: '00upreview000000000', profile: { login: USER.identifier } },
    };
    this._go('success');
    if (typeof this._onSuccess === 'function') this._onSuccess(res);
  };

  window.OktaSignIn = OktaSignIn;
})();
