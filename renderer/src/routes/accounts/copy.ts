// Copying to the clipboard: the Electron shell denies clipboard permissions, so when writeText is
// unavailable or refused the text is selected instead, for the user to copy with the keyboard.
export async function copyOrSelect(input: HTMLInputElement | undefined): Promise<'copied' | 'selected'> {
  if (!input) return 'selected';
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
    await navigator.clipboard.writeText(input.value);
    return 'copied';
  } catch {
    input.focus();
    input.select();
    return 'selected';
  }
}

