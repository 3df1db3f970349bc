// Loopback admin endpoints for tests and the app's local-network panel. JSON in and out; bigints
// travel as decimal strings.
import { decodeIcrcAccount } from '@icp-sdk/canisters/ledger/icrc';
import { Principal } from '@icp-sdk/core/principal';
import { accountIdentifier, parseAccountIdentifierHex, toHex } from '../canisters/common/accounts.ts';
import type { MotionProposalResult } from '../canisters/governance/auto-voters.ts';
import { Topic } from '../canisters/governance/model.ts';
import { ManagementCanister } from '../canisters/management/management.ts';
import {
  PROPOSAL_SUMMARY_BYTES_MAX,
  PROPOSAL_TITLE_BYTES_MAX,
  PROPOSAL_TITLE_BYTES_MIN,
  PROPOSAL_URL_CHAR_MAX,
} from '../canisters/governance/proposals.ts';
import { GOVERNANCE_ID, LEDGER_ID, MANAGEMENT_ID } from '../canisters/ids.ts';
import { HttpError } from './envelope.ts';
import type { SubnetHttpDeps } from './server.ts';

const MAX_ADVANCE_SECONDS = 10n * 366n * 86_400n;

function parseJson(body: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (e) {
    throw new HttpError(400, `the body must be JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

function natField(v: unknown, name: string, allowZero = false): bigint {
  let n: bigint;
  if (typeof v === 'string' && /^[0-9]{1,30}$/.test(v)) n = BigInt(v);
  else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) n = BigInt(v);
  else throw new HttpError(400, `${name} must be a natural number (a decimal string or an integer)`);
  if (!allowZero && n === 0n) throw new HttpError(400, `${name} must be greater than zero`);
  return n;
}

/** An account identifier (64 or 56 hex), a principal, or an ICRC-1 account text. */
export function parseDestination(to: unknown): Uint8Array {
  if (typeof to !== 'string' || to.length === 0 || to.length > 200) {
    throw new HttpError(400, '"to" must be an account identifier, a principal or an ICRC-1 account');
  }
  if (/^[0-9a-fA-F]{56}$|^[0-9a-fA-F]{64}$/.test(to)) {
    try {
      return parseAccountIdentifierHex(to);
    } catch (e) {
      throw new HttpError(400, (e as Error).message);
    }
  }
  try {
    const account = decodeIcrcAccount(to);
    return accountIdentifier(account.owner as unknown as Principal, account.subaccount ?? undefined);
  } catch {
    throw new HttpError(400, `"to" is neither an account identifier, a principal nor an ICRC-1 account: ${JSON.stringify(to)}`);
  }
}

function textField(v: unknown, name: string, minBytes: number, maxBytes: number): string {
  if (typeof v !== 'string') throw new HttpError(400, `${name} must be a string`);
  const n = Buffer.byteLength(v, 'utf8');
  if (n < minBytes || n > maxBytes) {
    throw new HttpError(400, minBytes > 0 ? `${name} must be ${minBytes} to ${maxBytes} bytes long (UTF-8)` : `${name} must be at most ${maxBytes} bytes long (UTF-8)`);
  }
  return v;
}

/**
 * POST /_/proposals opens Motion proposals, and a Motion is always on the Governance topic: the
 * only topic accepted (4, "4" or "Governance"). The simulation can also execute
 * ManageNetworkEconomics, RegisterKnownNeuron, DeregisterKnownNeuron and ManageNeuron proposals,
 * but those are not motions (they change the world); make them with manage_neuron MakeProposal.
 */
function motionTopic(v: unknown): void {
  if (v === undefined || v === null) return;
  if (v === Topic.Governance || v === String(Topic.Governance) || (typeof v === 'string' && v.toLowerCase() === 'governance')) return;
  throw new HttpError(
    400,
    `topic ${JSON.stringify(v)} is not possible: this endpoint opens Motion proposals, which are on the Governance topic (4); leave "topic" out or give 4`,
  );
}

const json = (status: number, value: unknown) => ({
  status,
  json: JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
});

export async function handleAdmin(deps: SubnetHttpDeps, method: string, path: string, body: Uint8Array) {
  const { runtime, keys } = deps;
  if (path === '/_/status') {
    if (method !== 'GET') throw new HttpError(405, 'use GET');
    return json(200, {
      time_ns: runtime.now(),
      height: runtime.height,
      root_key: toHex(keys.rootKeyDer),
      subnet_id: keys.subnetId.toText(),
      certificates_signed: deps.certifier.signatures,
      canisters: Object.fromEntries(runtime.canisterIds().map((id) => [runtime.canister(id)!.name, id.toText()])),
    });
  }
  if (method !== 'POST') throw new HttpError(405, 'use POST');
  const args = parseJson(body);
  switch (path) {
    case '/_/time': {
      const secs = natField(args.advance_seconds, 'advance_seconds', true);
      if (secs > MAX_ADVANCE_SECONDS) throw new HttpError(400, `advance_seconds must be at most ${MAX_ADVANCE_SECONDS} (10 years)`);
      await runtime.advanceTime(secs);
      return json(200, { time_ns: runtime.now(), height: runtime.height });
    }
    case '/_/mint': {
      const to = parseDestination(args.to);
      const e8s = natField(args.e8s, 'e8s');
      if (e8s >= 2n ** 64n) throw new HttpError(400, 'e8s must fit in 64 bits');
      const result = await runtime.admin<{ block_index: bigint }>(LEDGER_ID, 'mint', { to: toHex(to), e8s });
      return json(200, result);
    }
    case '/_/canisters': {
      if (!Array.isArray(args.controllers) || args.controllers.length === 0 || args.controllers.length > 10) {
        throw new HttpError(400, 'controllers must be a list of 1 to 10 principals');
      }
      const controllers = args.controllers.map((c) => {
        try {
          if (typeof c !== 'string') throw new Error();
          return Principal.fromText(c).toText();
        } catch {
          throw new HttpError(400, `invalid principal in controllers: ${JSON.stringify(c)}`);
        }
      });
      const cycles = natField(args.cycles ?? '0', 'cycles', true);
      if (cycles >= 2n ** 128n) throw new HttpError(400, 'cycles must fit in 128 bits');
      const result = await runtime.admin<{ canister_id: string }>(MANAGEMENT_ID, 'create_canister', { controllers, cycles });
      return json(200, result);
    }
    case '/_/canisters/controlled': {
      // The user canisters a principal controls (so a wallet on the test subnet can list them).
      let controller: string;
      try {
        if (typeof args.controller !== 'string') throw new Error();
        controller = Principal.fromText(args.controller).toText();
      } catch {
        throw new HttpError(400, 'controller must be a principal');
      }
      const management = runtime.canister(MANAGEMENT_ID);
      if (!(management instanceof ManagementCanister)) throw new HttpError(404, 'this subnet has no management canister');
      const ids = management.userCanisterIds().filter((id) => management.userCanister(id)!.controllers.some((c) => c.toText() === controller));
      return json(200, { canister_ids: ids.map((id) => id.toText()) });
    }
    case '/_/proposals': {
      const title = textField(args.title, 'title', PROPOSAL_TITLE_BYTES_MIN, PROPOSAL_TITLE_BYTES_MAX);
      if (title.trim().length === 0) throw new HttpError(400, 'title must not be blank');
      const summary = textField(args.summary, 'summary', 0, PROPOSAL_SUMMARY_BYTES_MAX);
      if (typeof args.url !== 'string') throw new HttpError(400, 'url must be a string (an https:// URL, or empty)');
      const url = args.url;
      if (url.length > PROPOSAL_URL_CHAR_MAX) throw new HttpError(400, `url must be at most ${PROPOSAL_URL_CHAR_MAX} characters`);
      if (url !== '' && !/^https:\/\/[^\s/]+\S*$/.test(url)) throw new HttpError(400, 'url must be an https:// URL (or empty)');
      motionTopic(args.topic);
      if (!runtime.canister(GOVERNANCE_ID)?.admin?.make_motion_proposal) throw new HttpError(404, 'this subnet has no NNS governance canister');
      const r = await runtime.admin<MotionProposalResult>(GOVERNANCE_ID, 'make_motion_proposal', { title, summary, url });
      if ('proposal_id' in r) return json(200, { proposal_id: r.proposal_id });
      if (r.error === 'no_proposer') throw new HttpError(409, `no proposal can be opened: ${r.message}`);
      throw new HttpError(400, `governance refused the proposal: ${r.message}`);
    }
    default:
      throw new HttpError(404, `no such admin endpoint: ${path}`);
  }
}
