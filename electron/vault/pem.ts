// PEM text -> labelled DER blocks, strictly: a missing END line, stray text inside a block or bad
// base64 is an error that names the block, never a silent partial read.
import { invalidInput } from '../api/errors.ts';

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----$/;
const END = /^-----END ([A-Z0-9 ]+)-----$/;
const MAX_PEM_CHARS = 64 * 1024;

export function parsePemBlocks(text: string): PemBlock[] {
  if (typeof text !== 'string' || text.trim() === '') throw invalidInput('The key file is empty.');
  if (text.length > MAX_PEM_CHARS) throw invalidInput('This file is far larger than a key file; it is not a PEM key.');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim());
  const blocks: PemBlock[] = [];
  let label: string | null = null;
  let body: string[] = [];
  for (const line of lines) {
    if (label === null) {
      const begin = BEGIN.exec(line);
      if (begin) {
        label = begin[1];
        body = [];
      }
      // Text outside blocks (comments, "Bag Attributes" headers) is ignored, as openssl does.
      continue;
    }
    const end = END.exec(line);
    if (end) {
      if (end[1] !== label) throw invalidInput(`The key file is damaged: the "${label}" block ends as "${end[1]}".`);
      blocks.push({ label, der: decodeBase64(body.join(''), label) });
      label = null;
      continue;
    }
    if (BEGIN.test(line)) throw invalidInput(`The key file is damaged: the "${label}" block has no END line.`);
    if (/^[A-Za-z-]+:/.test(line)) throw invalidInput(`The "${label}" block has headers (legacy OpenSSL encryption), which are not supported; convert it to PKCS#8 first.`);
    body.push(line);
  }
  if (label !== null) throw invalidInput(`The key file is truncated: the "${label}" block has no END line.`);
  if (blocks.length === 0) throw invalidInput('This is not a PEM key file (no "-----BEGIN ...-----" block was found).');
  return blocks;
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function decodeBase64(b64: string, label: string): Uint8Array {
  if (b64 === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0)
    throw invalidInput(`The key file is damaged: the "${label}" block is not valid base64.`);
  return new Uint8Array(Buffer.from(b64, 'base64'));
}
