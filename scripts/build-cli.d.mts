export function buildNodeEntries(options?: {
  outdir?: string;
  entries?: Record<string, string>;
}): Promise<void>;
