// Proposal text is written by whoever made the proposal: markdown in, a strict allowlist of HTML out.
// marked turns the markdown into HTML, then DOMPurify keeps only plain formatting: no script, no
// event handlers, no SVG/MathML, no iframes, no forms, no style, no images (the CSP would block
// remote ones anyway: they become links), and links only to http(s) and mailto, opening outside the
// app. Only the result of `renderMarkdown` may go into {@html}.
//
// Raw HTML in the markdown is shown as text (except <br>), not passed on: Chromium reports a CSP
// violation for an inline handler or style attribute as soon as any parser of this page (DOMPurify's
// included) sees one, so the author's tags must never reach a parser. DOMPurify then only ever
// checks marked's own output: a second line of defence.
import { Marked } from 'marked';
import createDOMPurify from 'dompurify';

const ALLOWED_TAGS = ['p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b', 'em', 'i', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'sup', 'sub'];
const ALLOWED_ATTR = ['href', 'title', 'start', 'align'];
/** Anything else (javascript:, data:, vbscript:, relative paths, protocol-relative //host) loses its href. */
const SAFE_URL = /^(?:https?:\/\/|mailto:)/i;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) {
      return /^\s*<br\s*\/?>\s*$/i.test(text) ? '<br>' : escapeHtml(text);
    },
    // An image becomes a link to it (checked like any link below), its alt text as the label.
    image({ href, text }) {
      const label = escapeHtml(`Image: ${text || href}`);
      return `<a href="${escapeHtml(href)}">${label}</a>`;
    },
  },
});

let purifier: ReturnType<typeof createDOMPurify> | undefined;

function purify(): ReturnType<typeof createDOMPurify> {
  if (purifier) return purifier;
  // An instance of our own: its hooks do not touch any other user of DOMPurify.
  const p = createDOMPurify(window);
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href');
    if (href === null || !SAFE_URL.test(href.trim())) {
      node.removeAttribute('href');
      return;
    }
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  });
  purifier = p;
  return p;
}

/** Markdown from an untrusted author as sanitized HTML, safe for {@html}. */
export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false });
  return purify().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP: SAFE_URL,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    FORBID_TAGS: ['style', 'script', 'svg', 'math', 'iframe', 'form', 'img', 'input', 'object', 'embed'],
    FORBID_CONTENTS: ['script', 'style', 'svg', 'math', 'iframe', 'form', 'noscript', 'template', 'textarea', 'select', 'title'],
    RETURN_TRUSTED_TYPE: false,
  });
}
