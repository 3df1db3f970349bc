// The demo world's identities: public seed phrases, play money only (README). A module of its own so
// that the app can offer the demo identity without bundling the genesis code.

export interface DemoIdentity {
  name: string;
  /** BIP39, secp256k1 at m/44'/223'/0'/0/0 (what dfx, quill and Plug derive). */
  seedPhrase: string;
  principal: string;
  e8s: bigint;
}

const ICP = 100_000_000n;

export const DEMO_IDENTITIES: DemoIdentity[] = [
  {
    name: 'demo',
    seedPhrase:
      'work cargo say city apart creek arctic float misery frown make tired bind keep office black guess pave enough rule stock diary slight team',
    principal: '7e3ji-74oqq-fzbz4-3bseg-bzrgw-kj4zz-ym5pj-jndqw-rjkxn-jt4s7-hqe',
    e8s: 2_500n * ICP,
  },
  {
    name: 'alice',
    seedPhrase:
      'cherry pink shift kiwi lazy vanish antenna crouch laptop domain indoor ostrich hybrid learn cactus swap park credit expect lady system napkin minute fitness',
    principal: 'em2mo-wlfwe-nlzcn-o4sqa-jgi3i-fiyxi-c4gtg-nnjyu-sgk7g-vcjiv-sae',
    e8s: 10_000n * ICP,
  },
  {
    name: 'bob',
    seedPhrase:
      'exile capable key castle theory glue puppy high about drum grain topple where clap claw history buzz someone divide rhythm dial crisp holiday fee',
    principal: 'iazxs-xke4z-4ixwr-3cfxv-x2wsk-m3stm-zwgfe-g4shi-xwbra-ns2lf-nqe',
    e8s: 750n * ICP,
  },
  {
    name: 'carol',
    seedPhrase:
      'cable major stove matter minor ramp speed oil pair disease dial surface month neck admit exclude tiny office city invite eight simple panic lawsuit',
    principal: 'p7nbk-xlkhg-cpics-bztbm-2kgdk-hnqcm-i6jow-qlnjo-m4jyo-plybb-4ae',
    e8s: 42n * ICP,
  },
];
