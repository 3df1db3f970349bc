// The contract's method names alone, for the preload (which must stay tiny: it is bundled into a
// sandboxed script). test/electron/api-contract.test.ts checks it equals the contract's table.
export const METHOD_NAMES: readonly string[] = [
  'app.status',
  'network.select',
  'subnet.start',
  'subnet.stop',
  'subnet.restart',
  'subnet.reset',
  'subnet.advanceTime',
  'subnet.faucet',
  'subnet.openProposal',
  'reviews.get',
  'reviews.confirm',
  'reviews.cancel',
  'events.next',
];
