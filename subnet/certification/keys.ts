// The subnet's keys: a BLS12-381 root key that signs certified state (as the NNS subnet's threshold
// key does) and one node's Ed25519 key that signs query responses. With a state directory they are
// stored there, so they stay the same across restarts (clients cache them).
import { createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bls12_381 } from '@noble/curves/bls12-381';
import { hash_to_field } from '@noble/curves/abstract/hash-to-curve';
import { sha256 } from '@noble/hashes/sha256';
import mcl from 'mcl-wasm';
import { Principal } from '@icp-sdk/core/principal';

const BLS_DER_PREFIX = Buffer.from('308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100', 'hex');
const BLS_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';

/**
 * BLS short signatures (G1) with mcl's WebAssembly curve arithmetic: about 1 ms against 9 ms for
 * pure JavaScript. Hashing to the field stays with noble (cheap); mcl maps each field element to
 * G1 with the cofactor cleared, and since clearing is linear, the sum of the two maps is exactly
 * hash_to_curve. The result is checked once against noble's verifier (what the agent uses).
 */
class FastBlsSigner {
  private static ready: Promise<void> | undefined;
  static init(): Promise<void> {
    FastBlsSigner.ready ??= mcl.init(mcl.BLS12_381).then(() => {
      mcl.setETHserialization(true);
      mcl.setMapToMode(mcl.IRTF);
    });
    return FastBlsSigner.ready;
  }
  private readonly sk: InstanceType<typeof mcl.Fr>;
  constructor(secret: Uint8Array) {
    this.sk = new mcl.Fr();
    this.sk.setBigEndianMod(secret);
  }
  sign(message: Uint8Array): Uint8Array {
    const [[u0], [u1]] = hash_to_field(message, 2, { DST: BLS_DST, p: bls12_381.fields.Fp.ORDER, m: 1, k: 128, expand: 'xmd', hash: sha256 });
    const f0 = new mcl.Fp();
    f0.setStr(u0.toString(16), 16);
    const f1 = new mcl.Fp();
    f1.setStr(u1.toString(16), 16);
    return mcl.mul(mcl.add(f0.mapToG1(), f1.mapToG1()), this.sk).serialize();
  }
}

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export class SubnetKeys {
  /** DER of the BLS public key: what /api/v2/status serves as root_key. */
  readonly rootKeyDer: Uint8Array;
  readonly subnetId: Principal;
  readonly nodeKeyDer: Uint8Array;
  readonly nodeId: Principal;
  private readonly nodeKey: KeyObject;
  private fast?: FastBlsSigner;

  private constructor(
    private readonly blsSecret: Uint8Array,
    nodeSeed: Uint8Array,
  ) {
    const pk = bls12_381.getPublicKeyForShortSignatures(blsSecret);
    this.rootKeyDer = new Uint8Array(Buffer.concat([BLS_DER_PREFIX, pk]));
    this.subnetId = Principal.selfAuthenticating(this.rootKeyDer);
    this.nodeKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, nodeSeed]), format: 'der', type: 'pkcs8' });
    this.nodeKeyDer = new Uint8Array(createPublicKey(this.nodeKey).export({ format: 'der', type: 'spki' }));
    this.nodeId = Principal.selfAuthenticating(this.nodeKeyDer);
  }

  static generate(): Promise<SubnetKeys> {
    return new SubnetKeys(bls12_381.utils.randomPrivateKey(), new Uint8Array(randomBytes(32))).withFastSigner();
  }

  /** Loads the keys of a state directory, creating them on first use. */
  static async inDir(dir: string): Promise<SubnetKeys> {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'keys.json');
    if (existsSync(file)) {
      const { bls_secret, node_seed } = JSON.parse(readFileSync(file, 'utf8'));
      return new SubnetKeys(Buffer.from(bls_secret, 'hex'), Buffer.from(node_seed, 'hex')).withFastSigner();
    }
    const keys = await SubnetKeys.generate();
    writeFileSync(
      file,
      JSON.stringify({
        bls_secret: Buffer.from(keys.blsSecret).toString('hex'),
        node_seed: Buffer.from(keys.nodeSeed()).toString('hex'),
      }),
      { mode: 0o600 },
    );
    return keys;
  }

  /** Switches to the fast signer if it produces signatures the agent's verifier accepts. */
  private async withFastSigner(): Promise<SubnetKeys> {
    try {
      await FastBlsSigner.init();
      const fast = new FastBlsSigner(this.blsSecret);
      const probe = new TextEncoder().encode('neuron-desk signer self-check');
      const pk = bls12_381.getPublicKeyForShortSignatures(this.blsSecret);
      if (bls12_381.verifyShortSignature(fast.sign(probe), probe, pk)) this.fast = fast;
      else console.error('subnet: the fast BLS signer failed its self-check; signing in pure JavaScript');
    } catch (e) {
      console.error('subnet: the fast BLS signer is unavailable; signing in pure JavaScript:', e);
    }
    return this;
  }

  private nodeSeed(): Uint8Array {
    const der = this.nodeKey.export({ format: 'der', type: 'pkcs8' });
    return new Uint8Array(der.subarray(der.length - 32));
  }

  /** BLS short signature (48 bytes, G1) over a message. */
  signState(message: Uint8Array): Uint8Array {
    if (this.fast) return this.fast.sign(message);
    return bls12_381.signShortSignature(message, this.blsSecret);
  }

  /** Ed25519 signature of the node. */
  signAsNode(message: Uint8Array): Uint8Array {
    return new Uint8Array(nodeSign(null, message, this.nodeKey));
  }
}
