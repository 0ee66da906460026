// Every link between the user guide's pages, and every #anchor, leads somewhere: reads
// the HTML mdbook wrote (book/build) and prints each broken one. mdbook itself does not
// check links. Usage: node scripts/book-links.mjs [book/build]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const root = process.argv[2] ?? 'book/build';
const pages = readdirSync(root, { recursive: true })
  .filter((f) => f.endsWith('.html'))
  .map((f) => normalize(f));
const ids = new Map(
  pages.map((f) => {
    const text = readFileSync(join(root, f), 'utf8');
    return [f, new Set([...text.matchAll(/id="([^"]+)"/g)].map((m) => m[1]))];
  }),
);
const unescape = (s) =>
  s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
let broken = 0;
for (const f of pages) {
  if (['print.html', '404.html', 'toc.html'].includes(f)) continue;
  const text = readFileSync(join(root, f), 'utf8');
  const main = text.slice(text.indexOf('<main>'), text.indexOf('</main>'));
  for (const [, raw] of main.matchAll(/href="([^"]+)"/g)) {
    const href = unescape(raw);
    if (/^(https?:|mailto:)/.test(href)) continue;
    const [path, frag] = href.split('#');
    const target = path ? normalize(relative(root, join(root, dirname(f), path))) : f;
    if (!ids.has(target)) {
      // A file the book ships beside its pages (a JSON Schema, an image) is a link too.
      if (!frag && !target.endsWith('.html') && existsSync(join(root, target))) continue;
      console.log(`${f}: ${href}: no such page`);
      broken++;
    } else if (frag && !ids.get(target).has(decodeURIComponent(frag))) {
      console.log(`${f}: ${href}: no such anchor`);
      broken++;
    }
  }
}
console.log(`${pages.length} pages, ${broken} broken links`);
process.exit(broken ? 1 : 0);
