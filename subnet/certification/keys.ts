// The subnet's keys: a BLS12-381 root key that signs certified state (as the NNS subnet's threshold
// key does) and one node's Ed25519 key that signs query responses. With a state directory they are
// stored there, so they stay the same across restarts (clients cache them).
import { createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bls12_381 } from '@noble/curves/bls12-381';
import { Principal } from '@icp-sdk/core/principal';

const BLS_DER_PREFIX = Buffer.from('308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100', 'hex');
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export class SubnetKeys {
  /** DER of the BLS public key: what /api/v2/status serves as root_key. */
  readonly rootKeyDer: Uint8Array;
  readonly subnetId: Principal;
  readonly nodeKeyDer: Uint8Array;
  readonly nodeId: Principal;
  private readonly nodeKey: KeyObject;

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

  static generate(): SubnetKeys {
    return new SubnetKeys(bls12_381.utils.randomPrivateKey(), new Uint8Array(randomBytes(32)));
  }

  /** Loads the keys of a state directory, creating them on first use. */
  static inDir(dir: string): SubnetKeys {
    const file = join(dir, 'keys.json');
    if (existsSync(file)) {
      const { bls_secret, node_seed } = JSON.parse(readFileSync(file, 'utf8'));
      return new SubnetKeys(Buffer.from(bls_secret, 'hex'), Buffer.from(node_seed, 'hex'));
    }
    const keys = SubnetKeys.generate();
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

  private nodeSeed(): Uint8Array {
    const der = this.nodeKey.export({ format: 'der', type: 'pkcs8' });
    return new Uint8Array(der.subarray(der.length - 32));
  }

  /** BLS short signature (48 bytes, G1) over a message. */
  signState(message: Uint8Array): Uint8Array {
    return bls12_381.signShortSignature(message, this.blsSecret);
  }

  /** Ed25519 signature of the node. */
  signAsNode(message: Uint8Array): Uint8Array {
    return new Uint8Array(nodeSign(null, message, this.nodeKey));
  }
}
