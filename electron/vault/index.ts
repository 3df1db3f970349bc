// The vault's public face for the rest of the main process.
export { Vault, VAULT_SERVICE, DFX_KEYRING_SERVICE, DFX_KEYRING_PREFIX, DEFAULT_AUTO_LOCK_MS, type VaultOptions } from './vault.ts';
export { keytarKeychain, type Keychain, type Credential } from './keychain.ts';
export { keyringRsDfxKeyring, platformDfxKeyring, type DfxKeyring } from './dfx-keyring.ts';
export { systemTimers, type Timers } from './auto-lock.ts';
export { DEFAULT_KDF_COST, MIN_PASSPHRASE_LENGTH, type KdfCost } from './seal.ts';
export type * from './types.ts';
