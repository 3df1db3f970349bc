// window.desk: the renderer's only way out. Invoke-only, one channel, known method names only; no
// ipcRenderer, no callbacks, no Node. Answers are envelopes ({ok, value} or {ok: false, error});
// renderer/src/lib/desk.ts turns them into typed calls and DeskErrors.
import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES } from './api/method-names.ts';

const CHANNEL = 'desk:call'; // ipc.ts DESK_CHANNEL (not imported: the preload bundle stays minimal)
const known = new Set(METHOD_NAMES);

contextBridge.exposeInMainWorld('desk', {
  call(method: string, args: unknown[] = []): Promise<unknown> {
    if (typeof method !== 'string' || !known.has(method)) {
      return Promise.resolve({ ok: false, error: { kind: 'invalid-input', message: 'Unknown method.' } });
    }
    if (!Array.isArray(args)) return Promise.resolve({ ok: false, error: { kind: 'invalid-input', message: 'Arguments must be a list.' } });
    return ipcRenderer.invoke(CHANNEL, method, args);
  },
});
