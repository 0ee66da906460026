/*
 * What {{{OktaUtil}}} gives a page on Okta, as served by the signin-pages preview:
 * getSignInWidgetConfig() (the widget's configuration, with the brand's labels as i18n
 * keys of the requested language), getRequestContext() (the app being signed in to) and
 * completeLogin() (the success callback). The values come from the preview's page data.
 */
(function () {
  'use strict';
  var preview = window.__signinPreview || {};
  var script = document.currentScript;
  var nonce = script && script.nonce;

  function copy(value) {
    return JSON.parse(JSON.stringify(value || {}));
  }

  window.OktaUtil = {
    getSignInWidgetConfig: function () {
      var config = copy(preview.widgetConfig);
      if (nonce) config.cspNonce = nonce;
      return config;
    },
    getRequestContext: function () {
      return copy(preview.requestContext);
    },
    completeLogin: function (res) {
      console.info('[signin-pages preview] completeLogin:', res);
      document.dispatchEvent(new CustomEvent('signin-preview:complete-login', { detail: res }));
    },
  };
})();
