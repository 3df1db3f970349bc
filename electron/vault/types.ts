// The vault's plain data: what it tells the rest of the app (and, through the API, the renderer).

export type IdentityKind = 'seed' | 'pem' | 'watch-only';

export type IdentitySource = 'created' | 'seed' | 'dfx-pem' | 'dfx-encrypted' | 'quill-encrypted' | 'dfx-keyring' | 'watch-only';

export interface IdentitySummary {
  id: string;
  label: string;
  /** Principal text. */
  principal: string;
  kind: IdentityKind;
  source: IdentitySource;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

export interface VaultStatus {
  /** A passphrase has been set. */
  initialized: boolean;
  locked: boolean;
  activeId: string | null;
  /** Idle time before the vault locks itself; null when it never does. */
  autoLockMs: number | null;
}

export type VaultEvent =
  | { type: 'locked'; reason: 'user' | 'idle' }
  | { type: 'unlocked' }
  | { type: 'identities-changed' }
  | { type: 'active-changed'; activeId: string | null };

export type VaultListener = (event: VaultEvent) => void;

/** Returned once, by `create`: the words the user must write down. */
export interface CreatedIdentity {
  identity: IdentitySummary;
  seedPhrase: string;
}

export type ExportedSecret = { kind: 'seed'; seedPhrase: string } | { kind: 'pem'; pem: string };
