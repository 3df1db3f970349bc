// End-to-end tests: the built renderer in Debian's Chromium, talking through the loopback bridge to
// a real desktop core (vault on a private Secret Service, Desk with its bundled subnet process).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { assembleCore, type Core } from '../../electron/app.ts';
import { startBridge, type Bridge } from '../../electron/bridge/server.ts';
import { startSecretService, type SecretService } from '../electron/support/secret-service.ts';
import { buildRenderer } from './build.ts';

export interface E2E {
  core: Core;
  bridge: Bridge;
  browser: Browser;
  page: Page;
  /** Browser errors (console errors, uncaught exceptions, CSP violations): a screen must cause none. */
  errors: string[];
  /** Saves <name>-light.png and <name>-dark.png and checks both with axe (violations go to errors). */
  screenshot(name: string): Promise<void>;
  stop(): Promise<void>;
}

export const SCREENSHOTS = join(import.meta.dirname, '../../dist/screenshots');

export async function startE2E(): Promise<E2E> {
  const dir = mkdtempSync(join(tmpdir(), 'desk-e2e-'));
  const secrets: SecretService = await startSecretService();
  const core = assembleCore({ dataDir: join(dir, 'data'), vault: { kdfCost: { memoryKiB: 256, iterations: 1, parallelism: 1 } } });
  const rendererDir = await buildRenderer(join(dir, 'renderer'));
  const bridge = await startBridge({ dispatch: core.dispatch, rendererDir });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(bridge.url);
  const self: E2E = {
    core,
    bridge,
    browser,
    page,
    errors,
    async screenshot(name) {
      // Each screen in both themes; an accessibility violation in either counts as a screen error.
      // The shell scrolls its main area, not the page: grow the window to the content's height.
      const height = await page.evaluate(() => Math.max(document.documentElement.scrollHeight, document.querySelector('main')?.scrollHeight ?? 0));
      const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
      const before = await page.evaluate(() => document.documentElement.getAttribute('theme'));
      await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(height, viewport.height), 4_000) });
      for (const theme of ['light', 'dark'] as const) {
        await page.evaluate((t) => (t === 'light' ? document.documentElement.setAttribute('theme', 'light') : document.documentElement.removeAttribute('theme')), theme);
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-${theme}.png`) });
        for (const v of await a11yViolations(self)) errors.push(`accessibility (${name}, ${theme}): ${v}`);
      }
      await page.evaluate((t) => (t === null ? document.documentElement.removeAttribute('theme') : document.documentElement.setAttribute('theme', t)), before);
      await page.setViewportSize(viewport);
    },
    async stop() {
      await browser.close();
      await bridge.close();
      await core.close();
      await secrets.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}

export const E2E_PASSPHRASE = 'a long end-to-end passphrase';

/**
 * From the first screen to the unlocked app as one of the demo identities (the demo world: 'demo'
 * has neurons in every state and two canisters; see the README).
 */
export async function signIn(e: E2E, name: 'demo' | 'alice' | 'bob' | 'carol' = 'demo'): Promise<void> {
  const { DEMO_IDENTITIES } = await import('../../subnet/genesis/demo.ts');
  const who = DEMO_IDENTITIES.find((d) => d.name === name)!;
  const { page } = e;
  await page.getByLabel('Passphrase', { exact: true }).fill(E2E_PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(E2E_PASSPHRASE);
  await page.getByRole('button', { name: 'Set the passphrase' }).click();
  await page.getByRole('button', { name: 'Import a seed phrase' }).click();
  await page.getByLabel('Seed phrase (12 or 24 words)').fill(who.seedPhrase);
  await page.getByLabel('Name (optional)').fill(name);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('total').waitFor({ timeout: 60_000 });
}

/**
 * Accessibility basics of what the page shows now, by axe-core (labels, names, contrast, focus order
 * issues it can see): the violations of impact serious or critical, as "rule: target" lines.
 * (Evaluated through the DevTools protocol, so the page's CSP does not block the checker.)
 */
export async function a11yViolations(e: E2E): Promise<string[]> {
  const { readFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await e.page.evaluate(source);
  const result = await e.page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}
