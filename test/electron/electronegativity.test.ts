// The Electron security audit gates the suite: no HIGH or MEDIUM finding from electronegativity
// over electron/ (and the built renderer when it exists), no file it cannot parse.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { audit, blocking, shippedTree } from '../../electron/scripts/audit.ts';

it('finds nothing HIGH or MEDIUM in the main process or the built renderer', async () => {
  const { findings, parseErrors } = await audit([await shippedTree()]);
  expect(parseErrors).toEqual([]);
  expect(findings.filter(blocking)).toEqual([]);
}, 120_000);

it('does catch an insecure window (the gate can fail)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'desk-audit-'));
  writeFileSync(
    join(dir, 'main.js'),
    "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } }).loadURL('http://example.org');\n",
  );
  const { findings } = await audit([dir]);
  expect(findings.filter(blocking).map((f) => f.id)).toEqual(expect.arrayContaining(['HTTP_RESOURCES_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']));
}, 120_000);
