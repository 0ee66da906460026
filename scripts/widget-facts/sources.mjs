// The original sources a bundle's source map carries (`sourcesContent`): the widget's own
// (`src/v3/src/…` in 7.8, `webpack://v3/./src/…` later) and its dependencies' (Odyssey).

import fs from 'node:fs';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class SourceMap {
  constructor(json) {
    this.sources = json.sources ?? [];
    this.contents = json.sourcesContent ?? [];
  }

  static read(file) {
    return new SourceMap(JSON.parse(fs.readFileSync(file, 'utf8')));
  }

  /** Every `{path, text}` whose path matches `re` and has content. */
  find(re) {
    const out = [];
    this.sources.forEach((p, i) => {
      if (re.test(p) && typeof this.contents[i] === 'string') out.push({ path: p, text: this.contents[i] });
    });
    return out;
  }

  /** Exactly one source matching `re`, or an error naming `what`. */
  one(re, what) {
    const found = this.find(re);
    if (found.length !== 1) {
      throw new Error(`expected one source for ${what} (${re}), found ${found.length}: ${found.map((f) => f.path).join(', ')}`);
    }
    return found[0];
  }

  /** The widget's own Gen3 source at `rel` (e.g. `util/theme.ts`), or null. */
  siw(rel) {
    const re = new RegExp(`(^webpack://v3/\\./src/|/src/v3/src/)${escape(rel)}$`);
    const found = this.find(re);
    return found.length === 1 ? found[0] : null;
  }

  /** The widget's own Gen3 sources under `dir` (e.g. `components/`). */
  siwUnder(dir) {
    return this.find(new RegExp(`(^webpack://v3/\\./src/|/src/v3/src/)${escape(dir)}`));
  }
}
