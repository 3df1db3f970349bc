// Key files chosen in the renderer: read as text (PEM, identity.json) or as base64 (dfx's binary
// identity.pem.encrypted), with one clear sentence when the file cannot be what is expected. Errors
// are RangeErrors, which errorMessage() shows as they are.

/** A key file is a few hundred bytes; anything past this is not one (the core refuses it too). */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

function check(file: File): void {
  if (file.size === 0) throw new RangeError(`The file ${file.name} is empty.`);
  if (file.size > MAX_KEY_FILE_BYTES) throw new RangeError(`The file ${file.name} is far larger than a key file.`);
}

/** The file's bytes (FileReader: every engine the renderer runs in has it). */
function bytesOf(file: File): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(new RangeError(`The file ${file.name} could not be read.`));
    reader.readAsArrayBuffer(file);
  });
}

/** The text of a small key file (PEM or JSON). */
export async function readKeyText(file: File): Promise<string> {
  check(file);
  const bytes = await bytesOf(file);
  const text = new TextDecoder().decode(bytes);
  bytes.fill(0);
  if (text.trim() === '') throw new RangeError(`The file ${file.name} is empty.`);
  return text;
}

/** The bytes of a small binary key file, as base64. */
export async function readKeyBase64(file: File): Promise<string> {
  check(file);
  const bytes = await bytesOf(file);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x2000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  bytes.fill(0);
  return btoa(binary);
}

/** Copies a shown secret, or selects it when the clipboard is refused (the Electron shell denies it). */
export async function copyOrSelectText(field: HTMLTextAreaElement | undefined): Promise<'copied' | 'selected'> {
  if (!field) return 'selected';
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
    await navigator.clipboard.writeText(field.value);
    return 'copied';
  } catch {
    field.focus();
    field.select();
    return 'selected';
  }
}
