// Non-secret data the user keeps on this machine (address book, subaccount and canister labels,
// the list of identities' public parts, settings): one JSON document, written atomically. Secrets
// never go here (see vault/). Bigints are written as {"$n": "..."}.
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';

export class LocalStore<T extends object> {
  private data: T;

  constructor(
    private readonly path: string,
    initial: () => T,
  ) {
    this.data = existsSync(path) ? parse<T>(path, readFileSync(path, 'utf8'), initial) : initial();
  }

  read(): T {
    return this.data;
  }

  /** Applies `change` to a copy and writes it durably; the in-memory copy changes only on success. */
  update(change: (draft: T) => void): T {
    const draft = structuredClone(this.data);
    change(draft);
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(draft, (_k, v) => (typeof v === 'bigint' ? { $n: v.toString() } : v), 2));
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path);
    this.data = draft;
    return draft;
  }
}

function parse<T>(path: string, text: string, initial: () => T): T {
  try {
    return { ...initial(), ...JSON.parse(text, (_k, v) => (v && typeof v === 'object' && typeof v.$n === 'string' && Object.keys(v).length === 1 ? BigInt(v.$n) : v)) };
  } catch {
    // A damaged file is never silently replaced.
    throw new Error(`${path} is damaged and could not be read; it was left untouched (move it away to start afresh).`);
  }
}
