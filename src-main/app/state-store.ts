import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/**
 * What the app remembers between runs, in userData/state.json: window bounds per window key
 * (context or snapshot) and recently opened items. Writes are atomic (temp file + rename); a
 * corrupt or unreadable file is reset with a warning, never a crash.
 */

const boundsSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(200).max(20000),
  height: z.number().int().min(150).max(20000),
  maximized: z.boolean().optional(),
});
export type WindowBounds = z.infer<typeof boundsSchema>;

const recentSchema = z.object({
  kind: z.enum(['context', 'files', 'demo']),
  /** context name, or the snapshot paths joined for display */
  label: z.string().max(4096),
  context: z.string().max(1000).optional(),
  paths: z.array(z.string().max(4096)).max(1000).optional(),
  openedAt: z.string().max(64),
});
export type RecentItem = z.infer<typeof recentSchema>;

const stateSchema = z.object({
  version: z.literal(1),
  windows: z.record(z.string().max(5000), boundsSchema),
  recent: z.array(recentSchema).max(50),
});
export type AppState = z.infer<typeof stateSchema>;

export const MAX_RECENT = 10;

function emptyState(): AppState {
  return { version: 1, windows: {}, recent: [] };
}

export interface StateStoreOptions {
  /** directory holding state.json (Electron: app.getPath('userData')) */
  dir: string;
  warn?: (message: string) => void;
}

export class StateStore {
  readonly file: string;
  private state: AppState;
  private readonly warn: (message: string) => void;

  constructor(opts: StateStoreOptions) {
    this.file = join(opts.dir, 'state.json');
    this.warn = opts.warn ?? ((m) => process.stderr.write(`netpol-doctor: ${m}\n`));
    this.state = this.read();
  }

  private read(): AppState {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.warn(`cannot read ${this.file} (${(err as Error).message}); starting with defaults`);
      return emptyState();
    }
    try {
      return stateSchema.parse(JSON.parse(text));
    } catch (err) {
      const reason = err instanceof SyntaxError ? 'not valid JSON' : 'unexpected content';
      this.warn(`${this.file} was corrupt (${reason}); it has been reset`);
      try {
        renameSync(this.file, `${this.file}.corrupt`);
      } catch {
        // keep going: the next save overwrites it
      }
      return emptyState();
    }
  }

  snapshot(): AppState {
    return structuredClone(this.state);
  }

  windowBounds(key: string): WindowBounds | undefined {
    return this.state.windows[key];
  }

  setWindowBounds(key: string, bounds: WindowBounds): void {
    const parsed = boundsSchema.safeParse(bounds);
    if (!parsed.success) return;
    this.state.windows[key] = parsed.data;
    this.save();
  }

  recent(): RecentItem[] {
    return [...this.state.recent];
  }

  addRecent(item: Omit<RecentItem, 'openedAt'>, now = new Date()): void {
    const entry: RecentItem = { ...item, openedAt: now.toISOString() };
    const same = (r: RecentItem) => r.kind === entry.kind && r.label === entry.label;
    this.state.recent = [entry, ...this.state.recent.filter((r) => !same(r))].slice(0, MAX_RECENT);
    this.save();
  }

  /** Atomic: write a temp file next to the target, then rename over it. Failures warn, never throw. */
  save(): void {
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(tmp, JSON.stringify(this.state, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch (err) {
      this.warn(`cannot save ${this.file}: ${(err as Error).message}`);
      try {
        rmSync(tmp, { force: true });
      } catch {
        // nothing left to do
      }
    }
  }
}
