// Durable state: a checkpoint (the whole state, written atomically) plus an append-only log of the
// rounds executed since, each record fsynced before any of its results is acknowledged. Start-up
// loads the checkpoint and replays the log; a torn last record (crash mid-write) is ignored, which
// is safe because nothing in it was acknowledged.
import { closeSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { decodeData, decodeWithBlobs, encodeData, encodeWithBlobs } from './codec.ts';

/**
 * checkpoint.bin: MAGIC, then the JSON text (u64 LE length + bytes), then the blobs it refers to
 * (u32 LE count, then u64 LE length + bytes each). See encodeWithBlobs.
 */
const MAGIC = Buffer.from('NDCHECK1');

export interface Stored<C, R> {
  checkpoint?: C;
  rounds: R[];
}

export class Persistence<C, R> {
  private fd: number | undefined;
  private records = 0;
  private bytes = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private get checkpointPath() {
    return join(this.dir, 'checkpoint.bin');
  }
  /** The text-only format of earlier versions (still read). */
  private get legacyCheckpointPath() {
    return join(this.dir, 'checkpoint.json');
  }
  private get logPath() {
    return join(this.dir, 'rounds.log');
  }

  /** Removes all state (for --fresh). */
  wipe(): void {
    this.close();
    rmSync(this.checkpointPath, { force: true });
    rmSync(this.legacyCheckpointPath, { force: true });
    rmSync(this.logPath, { force: true });
  }

  load(): Stored<C, R> {
    const checkpoint = existsSync(this.checkpointPath)
      ? readCheckpoint<C>(readFileSync(this.checkpointPath))
      : existsSync(this.legacyCheckpointPath)
        ? decodeData<C>(readFileSync(this.legacyCheckpointPath, 'utf8'))
        : undefined;
    const rounds: R[] = [];
    if (existsSync(this.logPath)) {
      const lines = readFileSync(this.logPath, 'utf8').split('\n');
      for (const line of lines) {
        if (!line) continue;
        try {
          rounds.push(decodeData<R>(line));
        } catch {
          break; // a torn record: it and anything after it were never acknowledged
        }
      }
    }
    return { checkpoint, rounds };
  }

  /** Appends records and makes them durable before returning. */
  append(records: R[]): void {
    if (records.length === 0) return;
    if (this.fd === undefined) this.fd = openSync(this.logPath, 'a');
    const text = records.map((r) => encodeData(r)).join('\n') + '\n';
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off);
    fdatasyncSync(this.fd);
    this.records += records.length;
    this.bytes += buf.length;
  }

  /** Log size since the last checkpoint, to decide when to write one. */
  get logSize(): { records: number; bytes: number } {
    return { records: this.records, bytes: this.bytes };
  }

  /**
   * Writes a checkpoint atomically and starts an empty log. Returns the state as a load would
   * read it back (decoded from what was written; typed arrays are shared, not copied).
   */
  checkpoint(state: C): C {
    const tmp = this.checkpointPath + '.tmp';
    const fd = openSync(tmp, 'w');
    const { json, blobs } = encodeWithBlobs(state);
    const text = Buffer.from(json, 'utf8');
    const parts: Uint8Array[] = [MAGIC, u64(text.length), text, u32(blobs.length)];
    for (const b of blobs) parts.push(u64(b.byteLength), b);
    for (const part of parts) {
      let off = 0;
      while (off < part.byteLength) off += writeSync(fd, part, off);
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.checkpointPath);
    rmSync(this.legacyCheckpointPath, { force: true });
    const dirFd = openSync(this.dir, 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
    // Records up to the checkpoint's height are skipped on load, so a crash before this
    // truncation is harmless.
    this.close();
    rmSync(this.logPath, { force: true });
    this.records = 0;
    this.bytes = 0;
    return decodeWithBlobs<C>(json, blobs);
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};

function readCheckpoint<C>(buf: Buffer): C {
  if (buf.length < MAGIC.length + 12 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('checkpoint.bin: not a checkpoint');
  let off = MAGIC.length;
  const textLength = Number(buf.readBigUInt64LE(off));
  off += 8;
  const json = buf.toString('utf8', off, off + textLength);
  off += textLength;
  const count = buf.readUInt32LE(off);
  off += 4;
  const blobs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const length = Number(buf.readBigUInt64LE(off));
    off += 8;
    if (off + length > buf.length) throw new Error('checkpoint.bin: truncated');
    // A view into the file's buffer: restores copy what they keep.
    blobs.push(new Uint8Array(buf.buffer, buf.byteOffset + off, length));
    off += length;
  }
  return decodeWithBlobs<C>(json, blobs);
}
