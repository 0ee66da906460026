/*
 * The signin-pages preview's script, first in every page it serves: live reload over
 * server-sent events, the switcher (target page, widget state, locale), and the page's
 * CSP violations as the browser's own CSP engine reports them. Everything it draws lives
 * in a shadow root, away from the page's CSS.
 */
(function () {
  'use strict';

  var dataEl = document.getElementById('signin-preview-data');
  var data = {};
  try {
    data = JSON.parse((dataEl && dataEl.textContent) || '{}');
  } catch (e) {
    console.error('[signin-pages preview] unreadable page data', e);
  }
  var preview = (window.__signinPreview = data);
  preview.violations = [];

  var bar = null;
  // The version of the preview's files (`?v=…`), to ask for the toolbar's stylesheet.
  var version = (document.currentScript && document.currentScript.src.split('?')[1]) || '';

  document.addEventListener('securitypolicyviolation', function (e) {
    var v = {
      directive: e.effectiveDirective || e.violatedDirective,
      blocked: e.blockedURI,
      disposition: e.disposition,
      line: e.lineNumber,
      column: e.columnNumber,
      sample: e.sample,
    };
    preview.violations.push(v);
    console.warn('[signin-pages preview] CSP violation: ' + v.directive + ' blocked ' +
      (v.blocked || 'inline') + ' at line ' + v.line + (v.sample ? ': ' + v.sample : ''));
    if (bar) bar.update();
  });

  function connect() {
    if (!window.EventSource) return;
    var events = new EventSource('/__preview/events');
    events.addEventListener('hello', function (e) {
      var hello = JSON.parse(e.data);
      // A change happened while this page loaded, or the server restarted.
      if (data.generation && hello.generation !== data.generation) window.location.reload();
    });
    events.addEventListener('reload', function () {
      window.location.reload();
    });
    events.addEventListener('bye', function () {
      // The server stops: try again now and then, and reload when it is back.
      events.close();
      setTimeout(connect, 1000);
    });
    preview.events = events;
  }
  // After `load`: a stream opened while the page loads would hold its load event back.
  // A change in between is caught by the generation in `hello`.
  // A page served for a screenshot (`test --visual`) neither reloads nor shows the switcher.
  if (!data.visual) {
    if (document.readyState === 'complete') connect();
    else window.addEventListener('load', connect);
  }

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

  function go(change) {
    var u = new URL(window.location.href);
    if (change.page) u.pathname = change.page;
    Object.keys(change).forEach(function (k) {
      if (k !== 'page') u.searchParams.set(k, change[k]);
    });
    window.location.href = u.toString();
  }

  function select(key, items, selected, label) {
    return el('label', {}, [
      label + ' ',
      el('select', {
        'data-k': key,
        on: {
          change: function (e) {
            var change = {};
            change[key] = e.target.value;
            go(change);
          },
        },
      }, items.map(function (i) {
        return el('option', { value: i.value, selected: i.value === selected, text: i.label });
      })),
    ]);
  }

  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }

  function Toolbar() {
    var host = el('div', { id: 'signin-preview-bar', 'data-violations': '0' });
    var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
    root.appendChild(el('link', { rel: 'stylesheet', href: '/__preview/toolbar.css' + (version ? '?' + version : '') }));
    var pages = [{ value: data.pages['sign-in'], label: 'sign-in' }];
    if (data.pages.error) pages.push({ value: data.pages.error, label: 'error page' });
    var cspButton = el('button', { type: 'button', className: 'csp', 'data-se': 'csp-count' });
    var diag = data.diagnostics || {};
    var diagButton = el('button', { type: 'button', className: 'diag' });
    var panel = el('div', { className: 'panel', hidden: true });
    var shown = null;
    var toggle = function (what) {
      shown = shown === what ? null : what;
      draw();
    };
    cspButton.addEventListener('click', function () { toggle('csp'); });
    diagButton.addEventListener('click', function () { toggle('diag'); });
    var row = el('div', { className: 'bar' }, [
      el('a', { className: 'home', href: '/', title: 'Every target', text: 'signin-pages' }),
      el('span', { className: 'target', text: data.target }),
      pages.length > 1 ? select('page', pages, data.pages[data.page], 'Page') : null,
      data.page === 'sign-in'
        ? select('state', data.states.map(function (s) { return { value: s.name, label: s.label }; }), data.state, 'State')
        : null,
      data.page === 'sign-in'
        ? select('locale', data.locales.map(function (l) { return { value: l, label: l }; }), data.locale, 'Locale')
        : null,
      cspButton,
      diag.errors || diag.warnings ? diagButton : null,
    ]);
    root.appendChild(panel);
    root.appendChild(row);

    function draw() {
      var n = preview.violations.length;
      host.setAttribute('data-violations', String(n));
      cspButton.textContent = n ? plural(n, 'CSP violation') : 'CSP: no violations';
      cspButton.className = 'csp ' + (n ? 'bad' : 'ok');
      cspButton.title = data.csp
        ? data.csp.header + (data.csp.fromProject ? '' : ' (no [csp] in the project: Okta\'s sources only)')
        : '';
      var parts = [];
      if (diag.errors) parts.push(plural(diag.errors, 'error'));
      if (diag.warnings) parts.push(plural(diag.warnings, 'warning'));
      diagButton.textContent = parts.join(', ');
      diagButton.className = 'diag ' + (diag.errors ? 'bad' : 'warn');
      panel.textContent = '';
      panel.hidden = !shown;
      if (shown === 'csp') {
        if (!n) panel.appendChild(el('p', { text: 'The browser reported no violation of ' + (data.csp ? data.csp.header : 'the policy') + '.' }));
        preview.violations.forEach(function (v) {
          panel.appendChild(el('p', { className: 'violation' }, [
            el('strong', { text: v.directive }),
            ' ' + (v.disposition === 'report' ? 'reported' : 'blocked') + ' ' + (v.blocked || 'inline') + ' at line ' + v.line,
            v.sample ? el('code', { text: v.sample }) : null,
          ]));
        });
        panel.appendChild(el('p', { className: 'hint', text: 'The terminal shows the template line of each; see also /__preview/csp-reports.' }));
      } else if (shown === 'diag') {
        panel.appendChild(el('pre', { text: diag.text || '' }));
      }
    }
    this.update = draw;
    draw();
    (document.body || document.documentElement).appendChild(host);
  }

  function ready(fn) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn);
    else fn();
  }

  ready(function () {
    if (data.kind === 'page' && !data.visual) {
      bar = new Toolbar();
    } else if (data.kind === 'index') {
      Array.prototype.forEach.call(document.querySelectorAll('select[data-autosubmit]'), function (s) {
        s.addEventListener('change', function () { s.form.submit(); });
      });
    }
  });
})();
