// The shell's security policy as plain functions (main.ts applies them; see electron/shell/).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isAllowedDownload, isAllowedExternalUrl, isAllowedNavigation, isTrustedSender, resolveAppFile, fileUnder } from '../../electron/shell/policy.ts';

describe('shell policy', () => {
  it('has a CSP without inline scripts, eval, frames or network', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    // main.ts repeats it as a literal (so that electronegativity can evaluate it): the same policy.
    const main = readFileSync(new URL('../../electron/main.ts', import.meta.url), 'utf8');
    expect(main).toContain(`'Content-Security-Policy': [\n          "${csp}",`);
  });

  it('trusts only the app\'s top-level document, navigates nowhere else, opens only https outside', () => {
    expect(isTrustedSender({ url: 'app://neuron-desk/#/neurons', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://neuron-desk/', parent: { url: 'app://neuron-desk/' } })).toBe(false);
    expect(isTrustedSender({ url: 'http://127.0.0.1:1/', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isAllowedNavigation('app://neuron-desk/index.html')).toBe(true);
    expect(isAllowedNavigation('https://example.org/')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternalUrl('https://forum.dfinity.org/t/1')).toBe(true);
    for (const bad of ['http://example.org', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:pw@example.org', 'https://localhost/', 'data:text/html,x', 'not a url'])
      expect(isAllowedExternalUrl(bad), bad).toBe(false);
  });

  it('downloads only the app\'s own blob: URLs (CSV exports), and main.ts applies that rule', () => {
    expect(isAllowedDownload('blob:app://neuron-desk/1b4e28ba-2fa1-11d2-883f-0016d3cca427')).toBe(true);
    for (const bad of [
      'app://neuron-desk/export.csv',
      'https://example.org/neurons.csv',
      'http://127.0.0.1:1/a.csv',
      'file:///etc/passwd',
      'data:text/csv,a,b',
      'blob:null/1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      'blob:https://example.org/1b4e28ba',
      'blob:app://other/1b4e28ba',
      'blob:app://neuron-desk:81/1b4e28ba',
      'blob:app://user:pw@neuron-desk/1b4e28ba',
      'blob:blob:app://neuron-desk/1b4e28ba',
      'blob:',
      'not a url',
      '',
    ])
      expect(isAllowedDownload(bad), bad).toBe(false);
    const main = readFileSync(new URL('../../electron/main.ts', import.meta.url), 'utf8');
    expect(main).toMatch(/ses\.on\('will-download', \(event, item\) => \{\n\s*if \(!isAllowedDownload\(item\.getURL\(\)\)\) event\.preventDefault\(\);/);
  });

  it('maps app:// URLs to files inside the renderer folder only', () => {
    const root = '/opt/desk/renderer';
    expect(resolveAppFile(root, 'app://neuron-desk/')).toBe('/opt/desk/renderer/index.html');
    expect(resolveAppFile(root, 'app://neuron-desk/neurons/42')).toBe('/opt/desk/renderer/index.html');
    expect(resolveAppFile(root, 'app://neuron-desk/assets/app.js')).toBe('/opt/desk/renderer/assets/app.js');
    for (const hostile of ['app://neuron-desk/../secret.txt', 'app://neuron-desk/%2e%2e/%2e%2e/etc/passwd.txt', 'app://neuron-desk/..%2f..%2fetc/passwd.txt']) {
      const file = resolveAppFile(root, hostile);
      expect(file === undefined || file.startsWith(root + '/'), `${hostile} -> ${file}`).toBe(true);
    }
    expect(fileUnder(root, '/../../etc/passwd.txt')).toBeUndefined();
    expect(fileUnder(root, '/..%2f..%2fetc%2fpasswd.txt')).toBeUndefined();
    for (const bad of ['app://neuron-desk/a%00.js', 'app://neuron-desk/a%5c..%5c..%5cx.js', 'app://other/x.js', 'https://neuron-desk/x.js', 'app://neuron-desk/%E0%A4%A.js'])
      expect(resolveAppFile(root, bad), bad).toBeUndefined();
  });
});
