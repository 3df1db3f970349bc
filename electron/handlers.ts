// The contract's methods implemented over the Desk and its services. Arguments arrive validated
// (api/dispatch.ts); each handler only translates to the service call.
import type { Handlers } from './api/dispatch.ts';
import { DeskError } from './api/errors.ts';
import type { Desk } from './desk.ts';

export function createHandlers(desk: Desk): Handlers {
  const subnetState = () => desk.subnet.status();
  return {
    'app.status': async () => desk.status(),
    'network.select': async (choice) => desk.selectNetwork(choice),

    'subnet.start': async () => {
      await desk.subnet.start();
      return subnetState();
    },
    'subnet.stop': async () => {
      desk.invalidate();
      await desk.subnet.stop();
      return subnetState();
    },
    'subnet.restart': async () => {
      desk.invalidate();
      await desk.subnet.restart();
      return subnetState();
    },
    'subnet.reset': async () => {
      desk.invalidate();
      await desk.subnet.reset();
      return subnetState();
    },
    'subnet.advanceTime': async (seconds) => desk.advanceTime(seconds),
    'subnet.faucet': async (amount, to) => desk.faucet(amount, to),
    'subnet.openProposal': async (p) => desk.openTestProposal(p),

    'reviews.get': async (id) => {
      const r = desk.reviews.get(id);
      if (!r) throw new DeskError('not-found', 'This review is no longer pending.');
      return r;
    },
    'reviews.confirm': async (id) => desk.reviews.confirm(id),
    'reviews.cancel': async (id) => {
      desk.reviews.cancel(id);
      return null;
    },

    'events.next': async (after, waitMs) => desk.events.next(after, waitMs),
  };
}
