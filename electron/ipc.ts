// The contract over Electron IPC: one invoke channel; every call's sender frame is checked (the app's
// own top-level document only), then the shared dispatcher validates and runs it.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Dispatch, Envelope } from './api/dispatch.ts';
import { isTrustedSender } from './shell/policy.ts';

export const DESK_CHANNEL = 'desk:call';

export function bindIpc(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatch): void {
  ipcMain.handle(DESK_CHANNEL, (event: IpcMainInvokeEvent, method: unknown, args: unknown): Promise<Envelope> => {
    if (!isTrustedSender(event.senderFrame)) {
      return Promise.resolve({ ok: false, error: { kind: 'invalid-input', message: 'Calls are accepted only from the app itself.' } });
    }
    return dispatch(method, args);
  });
}
