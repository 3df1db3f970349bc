// Values shown to the user: bigints exactly, and decoded call arguments as indented text.
export function displayJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('') : v), 2) ?? '';
}
