//! Every diagnostic code as a type: [`Rule`] names a rule, and the registry gives its
//! default severity, whether `[check] allow` may silence it, and the text
//! `signin-pages explain CODE` prints (docs/checks.md is generated from it). A mistyped
//! code does not compile; [`crate::diag::Diagnostic::new`] takes its severity from here.

use super::Severity;

/// What the registry knows of a rule.
struct Info {
    severity: Severity,
    allowable: bool,
    title: &'static str,
    what: &'static str,
    why: &'static str,
    fix: &'static str,
}

#[allow(unused_imports)]
use Severity::{Error, Warning};

macro_rules! registry {
    ($($code:ident: $severity:ident, $allowable:literal, $title:literal, $what:literal, $why:literal, $fix:literal;)*) => {
        /// A diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $($code,)*
        }

        /// Every rule, in the order `explain` lists them.
        pub const RULES: &[Rule] = &[$(Rule::$code,)*];

        impl Rule {
            /// `C002`.
            pub const fn code(self) -> &'static str {
                match self {
                    $(Rule::$code => stringify!($code),)*
                }
            }

            const fn info(self) -> &'static Info {
                match self {
                    $(Rule::$code => &Info {
                        severity: Severity::$severity,
                        allowable: $allowable,
                        title: $title,
                        what: $what,
                        why: $why,
                        fix: $fix,
                    },)*
                }
            }
        }
    };
}

impl Rule {
    /// The severity findings get unless a check or `[check] deny` says otherwise.
    pub const fn severity(self) -> Severity {
        self.info().severity
    }

    /// Whether `[check] allow` may silence it. Problems that stop a build or that Okta
    /// itself refuses cannot be allowed.
    pub const fn allowable(self) -> bool {
        self.info().allowable
    }

    pub const fn title(self) -> &'static str {
        self.info().title
    }

    /// What it catches.
    pub const fn what(self) -> &'static str {
        self.info().what
    }

    /// Why it matters.
    pub const fn why(self) -> &'static str {
        self.info().why
    }

    /// How to fix it.
    pub const fn fix(self) -> &'static str {
        self.info().fix
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The rule a code names (any case).
pub fn find(code: &str) -> Option<Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code().eq_ignore_ascii_case(code))
}

registry! {
    P001: Error, false,
        "project file does not parse",
        "signin-pages.toml or a locale file is not valid TOML, has a key signin-pages does not know, or a value of the wrong type.",
        "Nothing can be built from a project file that cannot be read; a misspelt key would otherwise be ignored silently.",
        "Fix the key or value at the caret. The configuration reference (signin-pages book: reference/configuration) lists every key with its type and an example.";
    P002: Error, false,
        "a value Okta would refuse",
        "A value in signin-pages.toml that parses but cannot work: a widget version Okta refuses, an org_url that is not https, a duplicate brand, a locale tag that is not one.",
        "Okta answers such values with a 400 at deploy time, or the tool would write to the wrong place.",
        "Change the value as the help line says.";
    P003: Error, false,
        "a file the project needs is missing",
        "signin-pages.toml, templates/ or templates/sign-in.html is missing or unreadable.",
        "Every target renders templates/sign-in.html.",
        "Create the file, or start from `signin-pages init`.";
    P004: Error, false,
        "a file is not UTF-8",
        "A template or project file holds bytes that are not UTF-8.",
        "Okta's API takes UTF-8 JSON; a page in another encoding would reach users garbled.",
        "Save the file as UTF-8.";
    P005: Error, false,
        "locale files and locales disagree",
        "A locale file exists for a locale `[project] locales` does not list, or a listed locale has no file.",
        "Labels in an unlisted file would never reach the page; a listed locale without labels shows the widget's defaults.",
        "Add the locale to `locales`, or add or remove the file.";
    P006: Error, false,
        "a link leads outside templates/",
        "A file under templates/ is a symbolic link to a file outside the folder.",
        "Templates can only read inside templates/, so that a build cannot pull in (and publish) other files.",
        "Copy the file into templates/.";
    P007: Error, false,
        "template too large",
        "A template is larger than the limit.",
        "Okta stores the page as one string; a huge page slows every sign-in.",
        "Move images and scripts to a CDN listed in `[csp] src_list`.";
    P008: Error, false,
        "reserved control byte",
        "A template holds byte 0x0E or 0x0F, which signin-pages uses to protect Okta's tags from Tera.",
        "Unmasking would turn the byte into a brace and change the page.",
        "Remove the control character (most editors do not show it).";
    P009: Error, false,
        "no such environment or brand",
        "`--env` or `--brand` names something signin-pages.toml does not have.",
        "Nothing would be built or sent.",
        "Use a name from signin-pages.toml (the help line lists them).";
    P010: Error, false,
        "an output folder is a link",
        "dist/, snapshots/, .signin-pages/ (backups, state), the spare generation or manifest beside dist/, or a folder below them on the way to a file signin-pages writes, is a symbolic link.",
        "signin-pages writes, replaces and removes files in these folders; through a link it would change files elsewhere on the machine (through a linked dist/, on every second build).",
        "Remove the link; signin-pages creates the folder. To build somewhere else, use `build --out DIR`.";
    T001: Error, false,
        "template syntax error",
        "Tera cannot parse a template: an unclosed tag, an unknown filter, a missing include or parent, an include cycle.",
        "The page cannot be rendered. Often it is JavaScript or CSS that contains `{{`, `{%` or `{#`.",
        "Fix the Tera syntax at the caret, or wrap text that is not for Tera in `{% raw %}…{% endraw %}`.";
    T002: Error, false,
        "undefined variable",
        "A Tera expression reads a variable or field the context does not have.",
        "Tera 2 refuses undefined values rather than printing nothing; usually it is a typo, or one of Okta's tags written in a form Tera reads.",
        "Use the suggested name; define the value under `[vars]`; write Okta's tags exactly (`{{pageTitle}}`).";
    T003: Error, true,
        "an Okta-looking tag Okta does not know",
        "The rendered page holds a Mustache tag such as `{{bgImgUrl}}` or `{{{ErrorPageResources}}}` that is not one of Okta's, or an error-page tag on the sign-in page.",
        "Okta replaces unknown tags with nothing: the page silently loses a stylesheet, an image or text.",
        "Use the Okta name the help line suggests, or remove the tag.";
    T004: Error, true,
        "`{#` inside a <script>",
        "A template's <script> holds `{#` outside `{% raw %}` — JavaScript private fields (`this.#x` in `{#x`) or a regex.",
        "Tera reads `{#` as the start of a comment: it either fails to parse or silently deletes the script up to the next `#}`.",
        "Wrap the script in `{% raw %}…{% endraw %}`, or put a space after the brace.";
    T005: Error, false,
        "template rendering failed",
        "Tera stopped while rendering: a filter given the wrong type, a division by zero.",
        "The page cannot be rendered.",
        "Fix the expression at the caret.";
    T006: Error, false,
        "a page exceeds its render budget",
        "Rendering one page took longer than `[render] time_budget` (2 s by default), wrote more than `[render] output_budget` (16 MiB by default), or held more than 64 MiB plus eight times the output budget of memory. The caret is on the loop that was running when the render was stopped.",
        "A page renders in milliseconds; a template that runs far longer loops far more often than intended (nested loops over `range(…)`, a loop over a long list) or builds text without end. Left alone it would keep `build` running for hours, exhaust memory, or pin a core of the preview.",
        "Look at the loop at the caret and the loops around it: how many times does each run? If a page really needs more, raise `time_budget` or `output_budget` under `[render]` in signin-pages.toml.";
    H001: Warning, true,
        "HTML parse error",
        "html5ever reported a parse error in the rendered page (on a copy where Okta's tags are stubbed).",
        "Browsers recover from parse errors in different ways; the widget and your styles may land somewhere other than you meant.",
        "Fix the markup at the line shown: close the element, quote the attribute, start with `<!DOCTYPE html>`.";
    H002: Warning, true,
        "duplicate id",
        "Two elements of the rendered page share an `id`.",
        "`getElementById`, CSS `#id` and the widget's `el:` selector find only the first: the second element is invisible to them.",
        "Give each element its own id.";
    H003: Warning, true,
        "missing <title> or lang",
        "The page has no <title>, or its <html> has no `lang` while the project serves several locales.",
        "Screen readers announce the title and read the page in the language `lang` names.",
        "Keep `<title>{{pageTitle}}</title>`; write `<html lang=\"{{ default_locale }}\">` or set `document.documentElement.lang` from the widget's language.";
    O001: Error, true,
        "no {{{SignInWidgetResources}}} in <head>",
        "The sign-in page lacks `{{{SignInWidgetResources}}}`, or has it outside <head>.",
        "Okta injects the widget's script and stylesheet there: without it `OktaSignIn` is undefined; in <body> the widget's styles arrive late and the page flashes unstyled.",
        "Put `{{{SignInWidgetResources}}}` in <head>, after <title>.";
    O002: Error, true,
        "no {{{OktaUtil}}}, or OktaUtil used before it",
        "The sign-in page lacks `{{{OktaUtil}}}`, or a script uses `OktaUtil` before the tag defines it.",
        "`OktaUtil.getSignInWidgetConfig()` carries the org's configuration and the sign-in state; without it the widget cannot start the flow.",
        "Place `{{{OktaUtil}}}` before the first script that uses OktaUtil.";
    O003: Error, true,
        "the widget's mount element does not exist",
        "`renderEl({ el: '#x' })`, `showSignIn({ el: '#x' })` or `config.el` names an element the page does not have.",
        "The widget renders nothing and users see a blank page.",
        "Add the element (`<div id=\"okta-login-container\"></div>`) or fix the selector.";
    O004: Warning, true,
        "config.features replaced",
        "A script assigns a whole object to `config.features`.",
        "Okta's own features (registration, self-service unlock, router…) arrive in `config.features`; replacing the object turns them off. Okta warns this breaks flows.",
        "Set single flags instead: `config.features.showPasswordToggleOnSignInPage = true;`.";
    O005: Error, true,
        "unbalanced Mustache section",
        "A `{{#name}}` has no matching `{{/name}}` (or the other way round), or sections cross.",
        "Okta's Mustache renderer fails or drops the rest of the page.",
        "Close every section: `{{#useSiwGen3}}…{{/useSiwGen3}}`.";
    O006: Warning, true,
        "KMSI prompt labels with a widget older than 7.13",
        "The default locale sets post-sign-in KMSI labels while `[widget] version` pins a version below 7.13.",
        "The post-authentication Keep Me Signed In prompt exists only from Sign-In Widget 7.13: the labels would never show.",
        "Use `version = \"^7\"` or `\"7.13\"` or later.";
    O007: Warning, true,
        "error page without the error",
        "templates/error.html has neither `{{errorSummary}}` nor `{{{errorDescription}}}`.",
        "Users who reach the error page are not told what went wrong, and support cannot tell errors apart.",
        "Show `{{errorSummary}}` and `{{{errorDescription}}}`.";
    O008: Error, false,
        "page larger than Okta takes",
        "A rendered page (the `pageContent` sent to Okta) is larger than 2 MiB.",
        "Okta documents no limit for `pageContent`, so signin-pages keeps to what is known to work: pages of several hundred kilobytes are in use (a real page in our corpus is 663 KB), and 2 MiB is the largest upload Okta takes anywhere in a brand (the background image). Past it, the request risks a refusal at deploy time, after other brands were already written.",
        "Move images, fonts and scripts out of the page: images to the theme (logo, favicon, background) or a CDN listed in `[csp] src_list`.";
    O009: Warning, true,
        "very large page",
        "A rendered page is larger than 512 KiB.",
        "Every visitor downloads the whole page before the Sign-In Widget starts; pages are usually a few kilobytes. Large pages are almost always inline images (base64 `data:` URIs) or inlined libraries.",
        "Move images to the theme (logo, favicon, background) or a CDN listed in `[csp] src_list`, and load libraries from a CDN.";
    C001: Error, true,
        "inline script or style without the nonce",
        "An inline <script> or <style> lacks `nonce=\"{{nonceValue}}\"`.",
        "Okta's Content Security Policy allows inline code only with the per-response nonce: in enforced mode the browser blocks it (a warning in report_only mode).",
        "Add `nonce=\"{{nonceValue}}\"` to the element.";
    C002: Error, true,
        "resource origin not in src_list",
        "A script, stylesheet, image, font or connection goes to an origin neither `[csp] src_list`, the org itself nor Okta's CDN covers.",
        "Okta builds the page's CSP from src_list: the browser blocks the resource in enforced mode (a warning in report_only mode).",
        "Add the origin to `[csp] src_list` (20 entries at most) or host the file on a listed CDN.";
    C003: Error, false,
        "more than 20 src_list entries",
        "`[csp] src_list` has more than 20 entries.",
        "Okta refuses the request.",
        "Merge origins or drop unused ones.";
    C004: Error, true,
        "inline event handler or javascript: URL",
        "An `on…=` attribute (onclick, onload…) or a `javascript:` URL.",
        "A nonce cannot cover them: the CSP blocks them in enforced mode (a warning in report_only mode).",
        "Attach listeners from a nonce'd script (`addEventListener`).";
    C005: Error, true,
        "http:// resource",
        "A script, stylesheet, image, frame or form target loaded over plain http.",
        "The sign-in page is https: browsers block mixed content, and anything over http can be read or changed on the way.",
        "Use https://.";
    C006: Warning, true,
        "a CSP <meta> tag",
        "The page declares its own `<meta http-equiv=\"Content-Security-Policy\">`.",
        "Okta sends the policy as a header built from `[csp]`; a second policy in the page is combined with it and blocks what the header allows, and it cannot carry Okta's nonce.",
        "Remove the tag and set `[csp]` in signin-pages.toml.";
    K001: Warning, true,
        "a locale lacks a KMSI label the default locale sets",
        "A locale does not set a Keep Me Signed In label (`title`, `subtitle`, `accept`, `reject`, `remember`) that the default locale sets.",
        "Okta sends the default locale's `title`, `subtitle`, `accept` and `reject` as `postAuthKeepMeSignedInPrompt` and shows them in whatever language the visitor has; only a locale's own labels, which the page merges into `config.i18n`, win over them. Visitors of a locale without those labels read the default locale's text, not their own language (so do visitors of languages the project does not list). `remember` has no API field: without it, they see the widget's own text for the checkbox beside your labels.",
        "Set the label in that locale's `[kmsi]` (the page puts it in `config.i18n` for that language), or remove it from the default locale's `[kmsi]`, so that every language gets the widget's own translation.";
    K002: Warning, true,
        "label too long",
        "A KMSI label is longer than the widget shows well: title 60, subtitle 160, accept/reject/remember 40 characters.",
        "The prompt is a narrow card: long labels wrap into several lines and push the buttons off small screens.",
        "Shorten the label.";
    K003: Warning, true,
        "markup in a label",
        "A label holds HTML markup or an entity (`<b>`, `&amp;`).",
        "The widget shows labels as text: the markup appears literally.",
        "Write plain text.";
    K004: Error, false,
        "4-byte UTF-8 bound for Okta",
        "A label, customization or the page holds a character outside the Basic Multilingual Plane (emoji and some CJK).",
        "Okta's API refuses 4-byte UTF-8: the deploy fails.",
        "Remove the character; in HTML an entity such as `&#x1F600;` reaches the browser without the API seeing 4 bytes.";
    W001: Warning, true,
        "a widget string the pinned widget does not have",
        "A key in a locale file's `[widget]` table, or written into `config.i18n` on the page (`config.i18n = {…}`, `config.i18n.fr = {…}`, `config.i18n.fr['key'] = …`, `i18n: {…}` given to the widget), that is not one of the strings of the widget version `[widget] version` resolves to. `country.XX` keys are checked against the widget's country codes.",
        "The widget looks its strings up by key: a key it does not have is ignored, so the text the page meant to change stays the widget's own. Usually it is a typo, or a key of another widget version.",
        "Use the key the help line suggests (the keys are those of the widget's `login.json` for that version), or remove the entry.";
    W002: Warning, true,
        "a project locale the widget does not ship",
        "A locale in `[project] locales` for which the widget of `[widget] version` ships no language of its own (matching `pt-BR` to its `pt_BR`, `fr-CA` to `fr`, `zh-TW` to `zh_TW` as the widget does).",
        "The widget loads its strings from its own `login_<lang>.json`; for a language it does not ship, every string the project does not give in `config.i18n` shows in English.",
        "Use a locale the widget ships (the help line lists them), or give that locale's `[widget]` table every string your visitors see.";
    W003: Error, true,
        "Gen3 with a widget older than 7.8",
        "`[widget] generation = \"G3\"` with a `[widget] version` that resolves to a widget without the third generation (`okta-sign-in.next.js` ships from 7.8 on).",
        "There is no Gen3 bundle to load at that version: the page cannot show the third-generation widget.",
        "Use `version = \"^7\"` (or `\"7.8\"` or later), or `generation = \"G2\"`.";
    W004: Warning, true,
        "Gen2 CSS on a Gen3 page",
        "On a page of `[widget] generation = \"G3\"`, a `<style>` selector that names a class (or the `#okta-sign-in` id) only the second generation renders, for the widget version `[widget] version` resolves to (`.o-form-head`, `.button-primary`, `#okta-sign-in.auth-container`). A class the page gives one of its own elements counts only under `#okta-sign-in`; CSS inside `{{^useSiwGen3}}…{{/useSiwGen3}}` is Gen2's and is not reported.",
        "Gen3 renders different markup: the rule matches nothing and the styling is silently lost.",
        "Style Gen3 with design tokens (`config.theme.tokens`), or move the Gen2 rules into a `{{^useSiwGen3}}…{{/useSiwGen3}}` section if the page serves both generations.";
    W005: Warning, true,
        "afterRender DOM surgery on a Gen3 page",
        "On a page of `[widget] generation = \"G3\"`, an `.on('afterRender', …)` handler that queries the widget's Gen2 markup (`querySelector('.o-form-head')`, `#okta-sign-in`, `[data-se=…]`). Scripts inside `{{^useSiwGen3}}…{{/useSiwGen3}}` are not reported.",
        "Gen3 renders other markup, and re-renders it: the elements are not there, or the change is undone at the next render.",
        "Change Gen3 with design tokens (`config.theme.tokens`), strings (`config.i18n`) or the `afterTransform` hook, and keep Gen2-only code in a `{{^useSiwGen3}}…{{/useSiwGen3}}` section.";
    S001: Error, false,
        "a secret in a page or in the project",
        "Something that looks like an Okta API token (`SSWS …`, a 42-character `00…` token), a private key or a client secret is in a page, or anywhere in the project's files: signin-pages.toml, a locale file, any file under templates/ (rendered or not, Tera comments included) or a text file under static/. A secret a page shows is reported once, where it is written (a template line, or the variable's value in signin-pages.toml or a locale file).",
        "The sign-in page is public: anyone can read the secret and act as your org or app. A secret no page shows is still in the repository and its history, readable by everyone who can clone it: it is as leaked, so it is an error too. Output never repeats a secret: messages show its first four characters and its length, and the source line under a finding shows it masked.",
        "Remove it and revoke it in Okta (rotate the key or client secret); pages never need secrets, and the project keeps none: tokens come from an environment variable (`token_env`), keys from a `private_key_file` that git ignores, or `private_key_env`.";
    B001: Error, false,
        "a theme colour that is not #rrggbb",
        "A colour of `[theme]` (or an environment's or brand's `theme`) — `primary_color`, `primary_contrast_color`, `secondary_color`, `secondary_contrast_color` — that is not `#` and six hexadecimal digits: `#fff`, `red`, `rgb(…)`, a missing `#`.",
        "Okta's Themes API takes colours only as `#rrggbb` and refuses the whole theme otherwise, at deploy time, after other brands were already written.",
        "Write the colour as `#` and six hexadecimal digits (`#fff` is `#ffffff`).";
    B002: Error, false,
        "a theme variant Okta does not know",
        "A touch-point variant of the theme — `sign_in_page`, `error_page`, `email_template`, `end_user_dashboard`, `loading_page` — that is not one of the values Okta's spec lists for it (`SignInPageTouchPointVariant` …). The message suggests the nearest one.",
        "Okta refuses the theme with a 400 at deploy time.",
        "Use one of the values listed in the help line, written exactly (upper case, underscores): `BACKGROUND_IMAGE`, `BACKGROUND_SECONDARY_COLOR`, `OKTA_DEFAULT`, …";
    B003: Error, false,
        "a theme image Okta would refuse",
        "The `logo`, `favicon` or `background` of a theme, read by its header (magic bytes and dimensions; the extension is not trusted): the logo is not PNG, JPEG or GIF or is 100 kB or more; the favicon is not PNG or ICO, not square, or larger than 512 × 512; the background is not PNG, JPEG or GIF or is 2 MB or more; or the header is truncated or unreadable.",
        "Okta refuses the upload at deploy time (and an SVG or WebP renamed `.png` is still refused); a favicon that is not square is distorted in browser tabs.",
        "Export the image again in an accepted format and size: the message says what the file is and what Okta takes.";
    B004: Error, false,
        "a theme image file is missing or outside the project",
        "A theme's `logo`, `favicon` or `background` names a file that does not exist, is not a regular file, or lies outside the project (an absolute path, `..`, or a link that leads out).",
        "Nothing could be uploaded; a path outside the project would publish a file the repository does not hold, and differ from one machine to the next.",
        "Put the image in the project (e.g. `static/logo.png`) and write its path relative to the project folder.";
    B005: Warning, true,
        "theme colours below WCAG AA contrast",
        "A theme colour and its contrast colour (`primary_color` with `primary_contrast_color`, `secondary_color` with `secondary_contrast_color`, merged for each environment and brand) have a contrast ratio below 4.5:1 — the same WCAG rule and threshold as the design-token check W022. Only pairs where the project sets both colours are judged (Okta derives a contrast colour the project leaves unset).",
        "Okta draws the contrast colour as text on the colour (the sign-in button's label on the primary colour): below 4.5:1, people with low vision or on a bright screen cannot read it (WCAG 2.x success criterion 1.4.3).",
        "Darken one colour or lighten the other until the ratio is at least 4.5:1; the message gives the ratio.";
    W020: Warning, true,
        "a design token the widget does not read",
        "A Gen3 design token — in `[widget.tokens]`, an environment's or a brand's `tokens`, or a `config.theme.tokens` object in a page's script — whose name the pinned widget version does not know, or tokens set where the widget reads none: `[widget] generation` is G2, or the version is older than 7.11.",
        "Gen3 merges `config.theme.tokens` without any validation (Okta: \"at your own risk\"): a misspelt or retired name is silently ignored and the page keeps Okta's look.",
        "Use the name the help line suggests (data/widget/<version>.json lists every token of a version), set `generation = \"G3\"` with a widget of 7.11 or later, or remove the token.";
    W021: Warning, true,
        "a design token value of the wrong kind",
        "A design token's value is not of the kind the widget uses it as: `PalettePrimaryMain = \"greenish\"` (a colour), `BorderRadiusMain = \"4\"` (a length needs a unit). `var(--x)` fits every kind.",
        "The widget writes the value into its styles unchecked: the browser drops the declaration and the element falls back to an unstyled look, or a computed colour throws.",
        "Write a value of the kind named in the message; the help line gives an example.";
    W022: Warning, true,
        "text below WCAG AA contrast",
        "A pair of design tokens the widget draws text on (button text on the primary colour, headings on the card) has a contrast ratio below 4.5:1, computed with the project's tokens over the widget's defaults. Only pairs where the project sets at least one side are judged (two of Okta's own default pairs are below 4.5:1); colours known only at run time (`var(--x)`) are skipped.",
        "WCAG 2.x success criterion 1.4.3 asks 4.5:1 for normal text: below it, people with low vision or on a bright screen cannot read the button or the heading.",
        "Darken the text or lighten the background (or the other way round) until the ratio is at least 4.5:1; a contrast checker shows the ratio as you go.";
}

/// The text `signin-pages explain CODE` prints.
pub fn explain(rule: Rule) -> String {
    let allow = if rule.allowable() {
        format!(
            "Tune it in signin-pages.toml: `[check] allow = [\"{}\"]` silences it, `deny` makes it an error.",
            rule.code()
        )
    } else {
        "It cannot be allowed: the build cannot proceed, or Okta would refuse the request."
            .to_string()
    };
    format!(
        "{code}: {title} ({sev} by default)\n\nWhat it catches\n  {what}\n\nWhy it matters\n  {why}\n\nHow to fix it\n  {fix}\n\n{allow}\n",
        code = rule.code(),
        title = rule.title(),
        sev = rule.severity().as_str(),
        what = rule.what(),
        why = rule.why(),
        fix = rule.fix(),
    )
}
