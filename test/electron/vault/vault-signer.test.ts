// The vault's Signer as the network layer uses it, against the live simulated subnet: calls signed by
// a vault identity (secp256k1 from a seed, Ed25519 from a PEM) are accepted and move ICP; a watch-only
// entry reads its balance and cannot sign.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AccountIdentifier } from '@icp-sdk/canisters/ledger/icp';
import { Principal } from '@icp-sdk/core/principal';
import { connect, type Connection } from '../../../electron/network/agents.ts';
import { fixedContext, signingConnection } from '../../../electron/services/context.ts';
import { ReviewDesk } from '../../../electron/services/reviews.ts';
import { keytarKeychain } from '../../../electron/vault/keychain.ts';
import { Vault } from '../../../electron/vault/vault.ts';
import type { Subnet } from '../../../subnet/subnet.ts';
import { startDeskSubnet } from '../support/desk.ts';
import { startSecretService, type SecretService } from '../support/secret-service.ts';
import { LIGHT_KDF, PASSPHRASE, deskError, removeTempDirs, expected, fixture, tempPath } from './helpers.ts';

const DEMO_SEED = 'work cargo say city apart creek arctic float misery frown make tired bind keep office black guess pave enough rule stock diary slight team';
const ALICE = 'em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae';
const E8S = 100_000_000n;
const FEE = 10_000n;

let secretService: SecretService;
let subnet: Subnet;

beforeAll(async () => {
  secretService = await startSecretService();
  subnet = await startDeskSubnet('accounts');
});
afterAll(async () => {
  await subnet?.stop();
  await secretService?.stop();
  removeTempDirs();
});

const balance = (c: Connection) => c.ledger.accountBalance({ accountIdentifier: AccountIdentifier.fromPrincipal({ principal: c.principal }), certified: true });

it('signs ledger calls as the active identity; watch-only reads but cannot sign', async () => {
  const vault = new Vault({ metadataPath: tempPath(), keychain: keytarKeychain(), kdfCost: LIGHT_KDF });
  await vault.setup(PASSPHRASE);
  const demo = await vault.importSeedPhrase({ seedPhrase: DEMO_SEED, label: 'Demo' });
  const ed = await vault.importPem({ pem: fixture('ed25519.pem'), label: 'Ed' });
  const alice = await vault.addWatchOnly({ principal: ALICE, label: 'Alice' });
  const network = { kind: 'local', url: subnet.url } as const;

  const asDemo = await connect(network, vault.signer());
  expect(asDemo.principal.toText()).toBe(demo.principal);
  expect(await balance(asDemo)).toBe(2_500n * E8S);
  await asDemo.ledger.transfer({ to: AccountIdentifier.fromPrincipal({ principal: Principal.fromText(ed.principal) }), amount: 2n * E8S });
  expect(await balance(asDemo)).toBe(2_500n * E8S - 2n * E8S - FEE);

  await vault.setActive(ed.id);
  const asEd = await connect(network, vault.signer());
  expect(asEd.principal.toText()).toBe(expected.principals['ed25519.pem']);
  expect(await balance(asEd)).toBe(2n * E8S);
  await asEd.ledger.transfer({ to: AccountIdentifier.fromPrincipal({ principal: asDemo.principal }), amount: E8S });
  expect(await balance(asEd)).toBe(E8S - FEE);
  expect(await balance(asDemo)).toBe(2_500n * E8S - E8S - FEE);

  await vault.setActive(alice.id);
  const watching = await connect(network, vault.signer());
  expect(watching.canSign).toBe(false);
  expect(watching.principal.toText()).toBe(ALICE);
  expect(await balance(watching)).toBe(10_000n * E8S);
  await deskError(() => signingConnection(fixedContext(watching, new ReviewDesk())), 'watch-only');
  await deskError(() => vault.signingIdentity(), 'watch-only');

  vault.lock();
  await deskError(() => vault.signer(), 'locked');
});
