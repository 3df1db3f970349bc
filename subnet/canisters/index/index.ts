// The ICP index (qhbym-qaaaa-aaaaa-aaafq-cai) as a state machine over a read-only view of the
// ledger. Mainnet polls the ledger on a timer and lags it by up to a minute; here every call first
// indexes the blocks it has not seen, so the index is always current. Behaviour of the endpoints
// follows dfinity/ic rs/ledger_suite/icp/index.
import type {
  _SERVICE,
  Account,
  GetAccountIdentifierTransactionsResult,
  Operation,
  TransactionWithId,
} from '../../candid/generated/index.did.ts';
import { candid } from '../../candid/index.ts';
import { reject, trap, type Canister, type CanisterInfo, type MethodDef } from '../canister.ts';
import { accountIdentifier, parseAccountIdentifierHex, toHex } from '../common/accounts.ts';
import { INDEX_ID, ROOT_ID } from '../ids.ts';
import type { LedgerBlock, LedgerView } from '../ledger/ledger.ts';
import { moduleHashOf } from '../common/module.ts';
import { methodTable } from '../common/methods.ts';
import { U64_MAX } from '../ledger/state.ts';
import { AccountIndex } from './account-index.ts';

/** Mainnet: at most max_blocks_per_request (2000) transactions or blocks per call. */
const MAX_PER_RESPONSE = 2000n;

/** The module hash is sha256 of this string (no Wasm: it names the simulation). */
export const INDEX_MODULE_VERSION = 'neuron-desk simulated ICP index v1 (dfinity/ic ledger-suite-icp, release-2026-04-02)';
const MODULE_HASH = moduleHashOf(INDEX_MODULE_VERSION);

export class IcpIndex implements Canister {
  readonly id = INDEX_ID;
  readonly name = 'index';
  readonly candid = candid.index;
  readonly methods: Record<string, MethodDef>;
  private index = new AccountIndex();

  constructor(private readonly ledger: LedgerView) {
    this.methods = methodTable<_SERVICE>(candid.index.idlFactory, {
      get_account_identifier_transactions: (_ctx, arg) => {
        let account: string;
        try {
          account = toHex(parseAccountIdentifierHex(arg.account_identifier));
        } catch (e) {
          return { Err: { message: (e as Error).message } };
        }
        return this.transactions(account, arg.start[0], arg.max_results);
      },
      get_account_transactions: (_ctx, arg) => {
        const max = toU64(arg.max_results);
        const start = arg.start[0] === undefined ? undefined : toU64(arg.start[0]);
        return this.transactions(accountHex(arg.account), start, max);
      },
      get_account_identifier_balance: (_ctx, text) => this.synced().balance(parseText(text)),
      icrc1_balance_of: (_ctx, account) => this.synced().balance(accountHex(account)),
      get_blocks: (_ctx, { start, length }) => {
        const index = this.synced();
        const from = toU64(start);
        const requested = toU64(length);
        const chainLength = BigInt(index.length);
        const end = from + (requested < MAX_PER_RESPONSE ? requested : MAX_PER_RESPONSE);
        const blocks: Uint8Array[] = [];
        for (let i = from; i < end && i < chainLength; i++) blocks.push(this.ledger.encodedBlock(Number(i)));
        return { blocks, chain_length: chainLength };
      },
      ledger_id: () => this.ledger.id,
      status: () => ({ num_blocks_synced: BigInt(this.synced().length) }),
      http_request: () => reject('http_request is not available on the simulated subnet'),
    });
  }

  info(): CanisterInfo {
    return { controllers: [ROOT_ID], moduleHash: MODULE_HASH };
  }

  /**
   * The index holds only state derived from the ledger's blocks, so its snapshot is empty: after a
   * restore it re-indexes the ledger's chain on its next call.
   */
  snapshot(): { version: 1 } {
    return { version: 1 };
  }

  restore(_snapshot: unknown): void {
    this.index = new AccountIndex();
  }

  private synced(): AccountIndex {
    this.index.catchUp(this.ledger.blockList());
    return this.index;
  }

  private transactions(account: string, start: bigint | undefined, maxResults: bigint): GetAccountIdentifierTransactionsResult {
    const index = this.synced();
    const max = maxResults < MAX_PER_RESPONSE ? Number(maxResults) : Number(MAX_PER_RESPONSE);
    const blocks = this.ledger.blockList();
    const transactions: TransactionWithId[] = index
      .newestFirst(account, start, max)
      .map((id) => ({ id: BigInt(id), transaction: toTransaction(blocks.get(id)) }));
    const oldest = index.oldest(account);
    return {
      Ok: {
        balance: index.balance(account),
        transactions,
        oldest_tx_id: oldest === undefined ? [] : [BigInt(oldest)],
      },
    };
  }
}

function toTransaction(block: LedgerBlock): TransactionWithId['transaction'] {
  return {
    memo: block.memo,
    icrc1_memo: block.icrc1Memo ? [block.icrc1Memo] : [],
    operation: toOperation(block),
    created_at_time: block.createdAt === undefined ? [] : [{ timestamp_nanos: block.createdAt }],
    timestamp: [{ timestamp_nanos: block.timestamp }],
  };
}

function toOperation(block: LedgerBlock): Operation {
  const tokens = (e8s: bigint) => ({ e8s });
  switch (block.kind) {
    case 'mint':
      return { Mint: { to: block.to, amount: tokens(block.amount) } };
    case 'burn':
      return { Burn: { from: block.from, amount: tokens(block.amount), spender: block.spender ? [block.spender] : [] } };
    case 'transfer':
      return {
        Transfer: {
          from: block.from,
          to: block.to,
          amount: tokens(block.amount),
          fee: tokens(block.fee),
          spender: block.spender ? [block.spender] : [],
        },
      };
    case 'approve':
      return {
        Approve: {
          from: block.from,
          spender: block.spender,
          allowance: tokens(block.allowance),
          fee: tokens(block.fee),
          expected_allowance: block.expectedAllowance === undefined ? [] : [tokens(block.expectedAllowance)],
          expires_at: block.expiresAt === undefined ? [] : [{ timestamp_nanos: block.expiresAt }],
        },
      };
  }
}

/** Mainnet converts candid nats with to_u64 and traps when that fails. */
function toU64(n: bigint): bigint {
  if (n > U64_MAX) trap('Conversion from candid Nat to u64 failed');
  return n;
}

function accountHex(account: Account): string {
  const sub = account.subaccount[0];
  if (sub !== undefined && sub.length !== 32) trap(`invalid subaccount: expected 32 bytes, got ${sub.length}`);
  return toHex(accountIdentifier(account.owner, sub));
}

/** A textual account identifier argument; mainnet fails to decode a bad one, which is a trap. */
function parseText(text: string): string {
  try {
    return toHex(parseAccountIdentifierHex(text));
  } catch (e) {
    return trap(`failed to decode call arguments: ${(e as Error).message}`);
  }
}
