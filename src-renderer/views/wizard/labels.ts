/** Service selector matching (plain equality map, as Services use). */
export function matchesLabels(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Splits "a=b, c=d" into chips when the text is a label list; undefined otherwise. */
export function splitLabelList(value: string): string[] | undefined {
  const parts = value
    .split(/,\s*/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  return parts.every((p) => /^[A-Za-z0-9._/-]+(=[^=]*)?$/.test(p)) && parts.some((p) => p.includes('='))
    ? parts
    : undefined;
}

/** Does a chip `key=value` (or `key`) show the highlighted difference? */
export function chipIsHighlighted(chip: string, highlight: string | undefined, keys: string[] = []): boolean {
  const key = chip.split('=')[0];
  if (keys.includes(key)) return true;
  if (!highlight) return false;
  return chip === highlight || key === highlight || key === highlight.split('=')[0];
}
