// Packaging cannot run here (electron-builder downloads Electron), so its configuration is checked
// with electron-builder's own loader and schema, and against what the app needs at run time.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const require = createRequire(import.meta.url);

it('electron-builder accepts the configuration, with fuses set and keytar unpacked', async () => {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = require('builder-util');
  const config = await getConfig(root, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  await expect(validateConfiguration({ ...config, electronFusez: {} }, new DebugLogger(false))).rejects.toThrow(/electronFusez/); // the check can fail
  expect(config.electronFuses).toMatchObject({ runAsNode: false, enableCookieEncryption: true, onlyLoadAppFromAsar: true, enableEmbeddedAsarIntegrityValidation: true, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false });
  expect(config.asarUnpack).toContain('**/node_modules/keytar/**');
  expect(config.linux.target).toEqual(['AppImage', 'deb']);
  expect(config.mac.target).toBe('dmg');
  expect(config.win.target).toBe('nsis');
  expect(existsSync(root + 'build/icon.png')).toBe(true);
  expect(existsSync(root + config.mac.entitlements)).toBe(true);
  // The only runtime dependency is keytar; everything else is bundled into dist/ by esbuild.
  const pkg = JSON.parse(readFileSync(root + 'package.json', 'utf8'));
  expect(Object.keys(pkg.dependencies)).toEqual(['keytar']);
  expect(pkg.main).toBe('dist/electron/main.cjs');
  expect(config.files.flatMap((f: string | { filter: string[] }) => (typeof f === 'string' ? [f] : f.filter))).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/subnet/**', 'dist/renderer/**']));
});

it('the icon is a 1024x1024 PNG (electron-builder derives .icns and .ico from it)', () => {
  const png = readFileSync(root + 'build/icon.png');
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
});
