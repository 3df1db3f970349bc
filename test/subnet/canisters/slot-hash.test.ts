// The typed-array hash index of neuron slots, against a Map, under collisions, removals and growth.
import { describe, expect, it } from 'vitest';
import { SlotHash, hashBytes } from '../../../subnet/canisters/common/slot-hash.ts';

describe('SlotHash', () => {
  it('finds, removes and grows like a Map, even when every key collides', () => {
    for (const hashOfKey of [(k: number) => Math.imul(k, 0x9e3779b1) >>> 0, (_k: number) => 7]) {
      const keys: number[] = []; // slot -> key
      const index = new SlotHash((slot) => hashOfKey(keys[slot]));
      const want = new Map<number, number>(); // key -> slot
      let seed = 1;
      const rand = () => ((seed = Math.imul(seed, 48271) % 0x7fffffff) & 0xffff) % 3000;
      for (let step = 0; step < 6000; step++) {
        const key = rand();
        if (want.has(key) && step % 3 === 0) {
          index.remove(hashOfKey(key), want.get(key)!);
          want.delete(key);
        } else if (!want.has(key)) {
          const slot = keys.push(key) - 1;
          index.insert(hashOfKey(key), slot);
          want.set(key, slot);
        }
      }
      expect(index.size).toBe(want.size);
      for (let key = 0; key < 3000; key++) {
        expect(index.find(hashOfKey(key), (slot) => keys[slot] === key)).toBe(want.get(key) ?? -1);
      }
    }
  });

  it('hashes bytes with FNV-1a', () => {
    expect(hashBytes(new Uint8Array(0))).toBe(0x811c9dc5);
    expect(hashBytes(new TextEncoder().encode('a'))).toBe(0xe40c292c);
  });
});
