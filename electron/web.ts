// npm run web -- [--data-dir DIR] [--port N]: the desktop core without Electron, for development
// and end-to-end tests: the vault (OS keychain), the Desk with its bundled subnet, and the loopback
// bridge serving the built renderer. Prints the URL to open (with its token) on the first line.
// Never part of the packaged app.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assembleCore } from './app.ts';
import { startBridge } from './bridge/server.ts';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string', default: '.desk-web' }, port: { type: 'string', default: '0' }, renderer: { type: 'string', default: 'dist/renderer' } },
  strict: true,
});
const dataDir = resolve(values['data-dir']!);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be 0..65535, got ${values.port}`);
  process.exit(2);
}

const core = assembleCore({ dataDir });
const bridge = await startBridge({ dispatch: core.dispatch, rendererDir: resolve(values.renderer!), port });
console.log(bridge.url);
console.error(`web: state in ${dataDir}; open the URL above (it carries the session token)`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await bridge.close();
    await core.close();
    process.exit(0);
  });
}
