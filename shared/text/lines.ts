/** Offsets in a text → 1-based line and column, by binary search over its line starts (found once, on first use). */
export function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  let starts: Int32Array | undefined;
  return (offset) => {
    if (!starts) {
      const found = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) found.push(i + 1);
      starts = Int32Array.from(found);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  };
}
