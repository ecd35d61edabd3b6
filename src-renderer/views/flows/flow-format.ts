/** How the flow inspector shows a flow's time and verdict. */

/** RFC 3339 → local `HH:MM:SS.mmm` (the table's time column). */
export function localTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function verdictClass(v: string): string {
  switch (v) {
    case 'FORWARDED':
    case 'REDIRECTED':
      return 'forwarded';
    case 'DROPPED':
    case 'ERROR':
      return 'dropped';
    case 'AUDIT':
      return 'audit';
    default:
      return 'neutral';
  }
}
