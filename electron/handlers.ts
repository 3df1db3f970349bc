// The contract's methods implemented over the Desk and its services. Arguments arrive validated
// (api/dispatch.ts); each handler only translates to the service call.
import type { Handlers } from './api/dispatch.ts';
import { DeskError } from './api/errors.ts';
import type { Desk } from './desk.ts';
import type { Vault } from './vault/vault.ts';
import { DEMO_IDENTITIES } from '../subnet/genesis/demo-identities.ts';

/** Calls that do not count as the user's activity (background polling): they never delay auto-lock. */
const PASSIVE = new Set(['events.next', 'app.status', 'app.now', 'vault.status']);

export function createHandlers(desk: Desk, vault: Vault): Handlers {
  const handlers = methods(desk, vault);
  for (const name of Object.keys(handlers) as (keyof Handlers)[]) {
    if (PASSIVE.has(name)) continue;
    const run = handlers[name] as (...args: unknown[]) => Promise<unknown>;
    (handlers as Record<string, unknown>)[name] = (...args: unknown[]) => {
      vault.touch();
      return run(...args);
    };
  }
  return handlers;
}

function methods(desk: Desk, vault: Vault): Handlers {
  const subnetState = () => desk.subnet.status();
  return {
    'app.status': async () => desk.status(),
    'app.now': async () => desk.networkTime(),
    'network.select': async (choice) => desk.selectNetwork(choice),

    'vault.status': async () => ({ ...vault.status(), identities: vault.list() }),
    'vault.setup': async (passphrase) => {
      await vault.setup(passphrase);
      return vault.status();
    },
    'vault.unlock': async (passphrase) => {
      await vault.unlock(passphrase);
      return vault.status();
    },
    'vault.lock': async () => {
      vault.lock();
      return vault.status();
    },
    'vault.touch': async () => {
      vault.touch();
      return null;
    },
    'vault.changePassphrase': async (current, next) => {
      await vault.changePassphrase(current, next);
      return null;
    },
    'vault.setAutoLock': async (ms) => {
      vault.setAutoLock(ms);
      return vault.status();
    },
    'vault.create': async (label) => vault.create({ label }),
    'vault.importSeedPhrase': async (a) => vault.importSeedPhrase(a),
    'vault.importPem': async (a) => vault.importPem(a),
    'vault.importDfxEncrypted': async ({ encryptedPemBase64, ...rest }) =>
      vault.importDfxEncrypted({ ...rest, encryptedPem: new Uint8Array(Buffer.from(encryptedPemBase64.replace(/\s+/g, ''), 'base64')) }),
    'vault.importQuillEncrypted': async (a) => vault.importQuillEncrypted(a),
    'vault.listDfxKeyring': async () => vault.listDfxKeyring(),
    'vault.importDfxKeyring': async (a) => vault.importDfxKeyring(a),
    'vault.addWatchOnly': async (a) => vault.addWatchOnly(a),
    'vault.rename': async (id, label) => vault.rename(id, label),
    'vault.remove': async (id) => {
      await vault.remove(id);
      return null;
    },
    'vault.setActive': async (id) => {
      await vault.setActive(id);
      return vault.status();
    },
    'vault.exportSecret': async (id, passphrase, format) => vault.exportSecret(id, passphrase, format),
    'vault.useDemoIdentity': async () => {
      // Play money only: the demo world's identity, whose seed phrase is public (README).
      if (desk.network.kind !== 'local') throw new DeskError('invalid-input', 'The demo identity exists only on the local test subnet.');
      const demo = DEMO_IDENTITIES[0];
      const existing = vault.list().find((i) => i.principal === demo.principal);
      const identity = existing ?? (await vault.importSeedPhrase({ seedPhrase: demo.seedPhrase, label: 'Demo (play money)' }));
      await vault.setActive(identity.id);
      await desk.listDemoCanisters();
      return identity;
    },

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

    'accounts.list': async () => (await desk.services()).accounts.list(),
    'accounts.balances': async () => (await desk.services()).accounts.balances(),
    'accounts.createSubaccount': async (name) => (await desk.services()).accounts.createSubaccount(name),
    'accounts.renameSubaccount': async (index, name) => (await desk.services()).accounts.renameSubaccount(index, name),
    'accounts.discover': async () => (await desk.services()).accounts.discover(),
    'accounts.maxAmount': async (from) => (await desk.services()).accounts.maxAmount(from),
    'accounts.prepareSend': async (req) => (await desk.services()).accounts.prepareSend(req),
    'history.page': async (q) => (await desk.services()).history.page(q),
    'addressBook.list': async () => (await desk.services()).addressBook.list(),
    'addressBook.add': async (entry) => (await desk.services()).addressBook.add(entry),
    'addressBook.edit': async (id, change) => (await desk.services()).addressBook.edit(id, change),
    'addressBook.remove': async (id) => {
      (await desk.services()).addressBook.remove(id);
      return null;
    },
    'cycles.rate': async () => (await desk.services()).cycles.conversionRate(),
    'cycles.preview': async (input) => (await desk.services()).cycles.preview(input),
    'cycles.prepareTopUp': async (req) => (await desk.services()).cycles.prepareTopUp(req),
    'cycles.prepareCreateCanister': async (req) => (await desk.services()).cycles.prepareCreateCanister(req),
    'cycles.status': async (id) => (await desk.services()).cycles.canisterStatus(id),
    'cycles.canisters': async () => (await desk.services()).cycles.canistersWithStatus(),
    'cycles.listCanisters': async () => (await desk.services()).cycles.listCanisters(),
    'cycles.addCanister': async (id, name) => (await desk.services()).cycles.addCanister(id, name),
    'cycles.renameCanister': async (id, name) => (await desk.services()).cycles.renameCanister(id, name),
    'cycles.removeCanister': async (id) => {
      (await desk.services()).cycles.removeCanister(id);
      return null;
    },
    'cycles.recover': async () => (await desk.services()).canisterRecovery.recover(),

    'neurons.list': async () => (await desk.services()).neurons.list(),
    'neurons.get': async (id) => (await desk.services()).neurons.get(id),
    'neurons.limits': async () => (await desk.services()).neurons.limits(),
    'neurons.knownNeurons': async () => (await desk.services()).neurons.knownNeurons(),
    'neurons.rewardRate': async () => (await desk.services()).neurons.rewardRate(),
    'neurons.votingHistory': async (id) => (await desk.services()).neurons.votingHistory(id),
    'neurons.prepareStake': async (a) => (await desk.services()).staking.prepareStake(a),
    'neurons.prepareIncreaseStake': async (a) => (await desk.services()).staking.prepareIncreaseStake(a),
    'neurons.prepareIncreaseDissolveDelay': async (a) => (await desk.services()).neuronCommands.prepareIncreaseDissolveDelay(a),
    'neurons.prepareSetDissolveTimestamp': async (a) => (await desk.services()).neuronCommands.prepareSetDissolveTimestamp(a),
    'neurons.prepareStartDissolving': async (a) => (await desk.services()).neuronCommands.prepareStartDissolving(a),
    'neurons.prepareStopDissolving': async (a) => (await desk.services()).neuronCommands.prepareStopDissolving(a),
    'neurons.prepareAddHotkey': async (a) => (await desk.services()).neuronCommands.prepareAddHotkey(a),
    'neurons.prepareRemoveHotkey': async (a) => (await desk.services()).neuronCommands.prepareRemoveHotkey(a),
    'neurons.prepareFollow': async (a) => (await desk.services()).neuronCommands.prepareFollow(a),
    'neurons.prepareSetFollowing': async (a) => (await desk.services()).neuronCommands.prepareSetFollowing(a),
    'neurons.prepareSetVisibility': async (a) => (await desk.services()).neuronCommands.prepareSetVisibility(a),
    'neurons.prepareSetAutoStakeMaturity': async (a) => (await desk.services()).neuronCommands.prepareSetAutoStakeMaturity(a),
    'neurons.prepareJoinNeuronsFund': async (a) => (await desk.services()).neuronCommands.prepareJoinNeuronsFund(a),
    'neurons.prepareLeaveNeuronsFund': async (a) => (await desk.services()).neuronCommands.prepareLeaveNeuronsFund(a),
    'neurons.prepareRefreshVotingPower': async (a) => (await desk.services()).neuronCommands.prepareRefreshVotingPower(a),
    'neurons.prepareSplit': async (a) => (await desk.services()).neuronCommands.prepareSplit(a),
    'neurons.prepareMerge': async (a) => (await desk.services()).neuronCommands.prepareMerge(a),
    'neurons.prepareSpawn': async (a) => (await desk.services()).neuronCommands.prepareSpawn(a),
    'neurons.prepareStakeMaturity': async (a) => (await desk.services()).neuronCommands.prepareStakeMaturity(a),
    'neurons.prepareDisburseMaturity': async (a) => (await desk.services()).neuronCommands.prepareDisburseMaturity(a),
    'neurons.prepareDisburse': async (a) => (await desk.services()).neuronCommands.prepareDisburse(a),
    'neurons.prepareDisburseToNeuron': async (a) => (await desk.services()).neuronCommands.prepareDisburseToNeuron(a),
    'neurons.recoveryScan': async (o) => (await desk.services()).neuronRecovery.scan(o),
    'neurons.prepareRecover': async (o) => (await desk.services()).neuronRecovery.prepareRecover(o),
    'proposals.list': async (f) => (await desk.services()).proposals.list(f),
    'proposals.get': async (id) => (await desk.services()).proposals.get(id),
    'proposals.actionable': async () => (await desk.services()).proposals.actionable(),
    'proposals.prepareMotion': async (a) => (await desk.services()).proposals.prepareMotion(a),
    'voting.eligibility': async (id) => (await desk.services()).voting.eligibility(id),
    'voting.prepareVote': async (a) => (await desk.services()).voting.prepareVote(a),

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

    'export.neuronsCsv': async () => (await desk.services()).csvExport.neurons(),
    'export.transactionsCsv': async () => (await desk.services()).csvExport.transactions(),

    'notifications.get': async () => ({ closingSoon: desk.closingSoon.enabled, closingSoonNow: desk.closingSoon.recent() }),
    'notifications.set': async ({ closingSoon }) => {
      desk.closingSoon.setEnabled(closingSoon);
      return { closingSoon: desk.closingSoon.enabled, closingSoonNow: desk.closingSoon.recent() };
    },

    'events.next': async (after, waitMs) => desk.events.next(after, waitMs),
  };
}
