// The keyboard shortcuts' rules (renderer/src/lib/shortcuts.ts): "g" then a letter goes to a screen
// the app shows, "?" asks for help, Ctrl/Cmd+Shift+L locks; nothing fires while typing in a field or
// with a dialog open.
import { describe, expect, it } from 'vitest';
import { GO_KEYS, SEQUENCE_MS, Shortcuts, helpEntries, isTypingTarget, type KeyLike } from '../../renderer/src/lib/shortcuts.ts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });
const free = { typing: false, dialogOpen: false };
const ALL = ['accounts', 'neurons', 'proposals', 'canisters', 'settings', 'local'];

function setup(screens = ALL) {
  let t = 1_000;
  const s = new Shortcuts(() => screens, () => t);
  return { s, tick: (ms: number) => (t += ms) };
}

describe('shortcuts', () => {
  it('goes to each screen with g then its letter', () => {
    const { s } = setup();
    for (const [letter, screen] of Object.entries(GO_KEYS)) {
      expect(s.handle(key('g'), free)).toEqual({ kind: 'pending' });
      expect(s.handle(key(letter), free)).toEqual({ kind: 'go', screen });
    }
  });

  it('ignores a letter without g, a g that waited too long, and screens the app does not show', () => {
    const { s, tick } = setup(['accounts', 'neurons', 'proposals', 'canisters', 'settings']);
    expect(s.handle(key('a'), free)).toBeUndefined();
    s.handle(key('g'), free);
    tick(SEQUENCE_MS + 1);
    expect(s.handle(key('a'), free)).toBeUndefined();
    s.handle(key('g'), free);
    expect(s.handle(key('l'), free)).toBeUndefined(); // no local subnet screen on mainnet
    s.handle(key('g'), free);
    expect(s.handle(key('x'), free)).toBeUndefined();
    expect(s.handle(key('a'), free)).toBeUndefined(); // the sequence ended with x
    s.handle(key('g'), free);
    expect(s.handle(key('A', { shiftKey: true }), free)).toBeUndefined();
  });

  it('opens the help with ? and locks with Ctrl+Shift+L or Cmd+Shift+L', () => {
    const { s } = setup();
    expect(s.handle(key('?', { shiftKey: true }), free)).toEqual({ kind: 'help' });
    expect(s.handle(key('L', { ctrlKey: true, shiftKey: true }), free)).toEqual({ kind: 'lock' });
    expect(s.handle(key('L', { metaKey: true, shiftKey: true }), free)).toEqual({ kind: 'lock' });
    expect(s.handle(key('l', { ctrlKey: true }), free)).toBeUndefined();
    expect(s.handle(key('L', { ctrlKey: true, shiftKey: true, altKey: true }), free)).toBeUndefined();
    expect(s.handle(key('L', { ctrlKey: true, shiftKey: true, repeat: true }), free)).toBeUndefined();
    expect(s.handle(key('g', { ctrlKey: true }), free)).toBeUndefined();
    expect(s.handle(key('a'), free)).toBeUndefined();
  });

  it('fires nothing while typing in a field or with a dialog open', () => {
    const { s } = setup();
    for (const ctx of [
      { typing: true, dialogOpen: false },
      { typing: false, dialogOpen: true },
    ]) {
      expect(s.handle(key('?', { shiftKey: true }), ctx)).toBeUndefined();
      expect(s.handle(key('L', { ctrlKey: true, shiftKey: true }), ctx)).toBeUndefined();
      expect(s.handle(key('g'), ctx)).toBeUndefined();
      expect(s.handle(key('a'), ctx)).toBeUndefined();
      expect(s.handle(key('Escape'), ctx)).toBeUndefined();
    }
    // A g typed in a field does not start a sequence that a later key outside it would finish.
    s.handle(key('g'), { typing: true, dialogOpen: false });
    expect(s.handle(key('a'), free)).toBeUndefined();
    expect(s.handle(key('g', { isComposing: true }), free)).toBeUndefined();
  });

  it('knows what counts as typing', () => {
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'textarea' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'BUTTON', isContentEditable: false })).toBe(false);
    expect(isTypingTarget({ tagName: 'BODY' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it('lists the shortcuts of the screens present', () => {
    const screens = [
      { name: 'accounts', label: 'Accounts' },
      { name: 'proposals', label: 'Proposals' },
      { name: 'elsewhere', label: 'Elsewhere' },
    ];
    expect(helpEntries(screens)).toEqual([
      { keys: ['g', 'a'], description: 'Go to Accounts' },
      { keys: ['g', 'p'], description: 'Go to Proposals' },
      { keys: ['?'], description: 'Show the keyboard shortcuts' },
      { keys: ['Ctrl+Shift+L'], description: 'Lock Neuron Desk' },
      { keys: ['Escape'], description: 'Close a dialog' },
    ]);
    expect(helpEntries([], true).find((e) => e.description === 'Lock Neuron Desk')!.keys).toEqual(['Cmd+Shift+L']);
  });
});
