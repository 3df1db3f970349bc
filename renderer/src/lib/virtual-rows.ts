// Virtualized rows of a fixed height: which rows to put in the DOM for what is in view, and the
// spacers that stand for the others. The renderer's CSP allows no inline styles (no style=, no
// style: directive), so a spacer's height cannot be set from here: a spacer is a few blocks, each
// of 2^e rows, whose heights are CSS classes (`.rows-e`, e = 0 .. SPACER_MAX_EXP).

/** The largest block: 2^13 = 8,192 rows (more rows take several of them). */
export const SPACER_MAX_EXP = 13;

/** The blocks of a spacer of `rows` rows: their exponents, largest first (empty for none). */
export function spacerBlocks(rows: number): number[] {
  const out: number[] = [];
  let left = Math.max(0, Math.floor(rows));
  const max = 2 ** SPACER_MAX_EXP;
  for (; left >= max; left -= max) out.push(SPACER_MAX_EXP);
  for (let e = SPACER_MAX_EXP - 1; e >= 0; e--) if (left & (1 << e)) out.push(e);
  return out;
}

export interface RowWindow {
  /** The first row in the DOM. */
  first: number;
  /** One past the last row in the DOM. */
  last: number;
}

/**
 * The rows in view, plus `overscan` on either side: `top` is where row 0 is (or would be) relative
 * to the top of the viewport, in CSS pixels (negative once it has scrolled past), `height` the
 * viewport's height. Never empty when there are rows (a table out of view keeps a few, the ones
 * nearest the viewport).
 */
export function rowWindow(count: number, rowHeight: number, top: number, height: number, overscan: number): RowWindow {
  if (count <= 0) return { first: 0, last: 0 };
  const from = Math.min(count - 1, Math.max(0, Math.floor(-top / rowHeight)));
  const to = Math.min(count, Math.max(from + 1, Math.ceil((height - top) / rowHeight)));
  return { first: Math.max(0, from - overscan), last: Math.min(count, to + overscan) };
}

/** The nearest ancestor that scrolls vertically (the document's scroller when none does). */
export function scrollParent(el: Element): Element {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const { overflowY } = getComputedStyle(p);
    if ((overflowY === 'auto' || overflowY === 'scroll') && p.scrollHeight > p.clientHeight) return p;
  }
  return document.scrollingElement ?? document.documentElement;
}
