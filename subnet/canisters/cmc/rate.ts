// The certified ICP/XDR conversion rate, built as the real CMC builds it (dfinity/ic rs/nns/cmc
// main.rs, convert_data_to_mixed_hash_tree): a tree of two labeled leaves holding the Candid
// encoding of IcpXdrConversionRate; the canister certifies its root hash, and a query returns a
// witness revealing one leaf, CBOR-encoded with the self-describe tag.
import { encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { IDL } from '@icp-sdk/core/candid';
import { candid } from '../../candid/index.ts';
import type { CmcTypes } from '../../candid/index.ts';
import { SubTree, witness } from '../../certification/hashtree.ts';

export type IcpXdrConversionRate = CmcTypes.IcpXdrConversionRate;

export const LABEL_ICP_XDR_CONVERSION_RATE = 'ICP_XDR_CONVERSION_RATE';
export const LABEL_AVERAGE_ICP_XDR_CONVERSION_RATE = 'AVERAGE_ICP_XDR_CONVERSION_RATE';

/** The IcpXdrConversionRate type, taken from the generated interface (data of the query's reply). */
const rateType: IDL.Type = (() => {
  const service = candid.cmc.idlFactory({ IDL });
  const func = service._fields.find(([name]) => name === 'get_icp_xdr_conversion_rate')![1];
  const response = func.retTypes[0] as IDL.RecordClass;
  return response._fields.find(([name]) => name === 'data')![1];
})();

export function encodeRate(rate: IcpXdrConversionRate): Uint8Array {
  return new Uint8Array(IDL.encode([rateType], [rate]));
}

export class CertifiedRates {
  private readonly tree: SubTree;

  constructor(
    readonly current: IcpXdrConversionRate,
    readonly average: IcpXdrConversionRate,
  ) {
    this.tree = new SubTree([
      [LABEL_ICP_XDR_CONVERSION_RATE, encodeRate(current)],
      [LABEL_AVERAGE_ICP_XDR_CONVERSION_RATE, encodeRate(average)],
    ]);
  }

  /** The canister's certified data: the tree's root hash. */
  rootHash(): Uint8Array {
    return this.tree.hash();
  }

  /** CBOR witness revealing the current rate's leaf (the average stays pruned). */
  currentRateWitness(): Uint8Array {
    const label = new TextEncoder().encode(LABEL_ICP_XDR_CONVERSION_RATE);
    return encodeWithSelfDescribedTag(witness(this.tree, [[label]]));
  }
}
