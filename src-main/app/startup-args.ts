import { isAbsolute, resolve } from 'node:path';

/**
 * Command-line arguments of the app (Electron or browser mode), parsed in plain Node so they are
 * testable without Electron. Unknown flags (Chromium/Electron switches such as --no-sandbox) are
 * ignored, never fatal.
 *
 *   --context NAME            open a window on this kubeconfig context
 *   --snapshot FILE [FILE..]  open snapshot files (kubectl get -o yaml|json output); repeatable
 *   --kubeconfig PATH         kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
 *   --from EP --to EP --port P  prefill the wizard question
 *   --listen-port N           browser mode: listen on this loopback port (default: a free one)
 *   --port N                  without --from/--to, in browser mode: same as --listen-port
 *   --web                     browser mode even when Electron is available
 *   --demo                    open the demo snapshot
 */

export interface WizardPrefill {
  from?: string;
  to?: string;
  port?: string;
}

export interface StartupArgs {
  context?: string;
  snapshot: string[];
  kubeconfig?: string;
  demo: boolean;
  wizard: WizardPrefill;
  listenPort?: number;
  web: boolean;
  /** problems a user should see (bad port number, missing value); parsing never throws */
  problems: string[];
}

const VALUE_FLAGS = new Set([
  '--context',
  '--snapshot',
  '--kubeconfig',
  '--from',
  '--to',
  '--port',
  '--listen-port',
]);

function parsePortNumber(v: string): number | undefined {
  if (!/^\d{1,5}$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 && n <= 65535 ? n : undefined;
}

export function parseStartupArgs(argv: readonly string[]): StartupArgs {
  const out: StartupArgs = { snapshot: [], demo: false, wizard: {}, web: false, problems: [] };
  let portArg: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    if (!raw.startsWith('--')) continue;
    const eq = raw.indexOf('=');
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    if (flag === '--web') {
      out.web = true;
      continue;
    }
    if (flag === '--demo') {
      out.demo = true;
      continue;
    }
    if (!VALUE_FLAGS.has(flag)) continue;
    let value: string | undefined;
    if (eq > 0) value = raw.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') {
      out.problems.push(`${flag} needs a value`);
      continue;
    }
    switch (flag) {
      case '--context':
        out.context = value;
        break;
      case '--snapshot':
        out.snapshot.push(value);
        // `--snapshot a.yaml b.yaml`: take following plain arguments too
        while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) out.snapshot.push(argv[++i]);
        break;
      case '--kubeconfig':
        out.kubeconfig = value;
        break;
      case '--from':
        out.wizard.from = value;
        break;
      case '--to':
        out.wizard.to = value;
        break;
      case '--port':
        portArg = value;
        break;
      case '--listen-port': {
        const n = parsePortNumber(value);
        if (n === undefined) out.problems.push(`--listen-port must be a number 1-65535, got "${value}"`);
        else out.listenPort = n;
        break;
      }
    }
  }
  if (portArg !== undefined) {
    const forWizard = out.wizard.from !== undefined || out.wizard.to !== undefined || !out.web;
    if (forWizard) out.wizard.port = portArg;
    else if (out.listenPort === undefined) {
      const n = parsePortNumber(portArg);
      if (n === undefined) out.problems.push(`--port must be a number 1-65535, got "${portArg}"`);
      else out.listenPort = n;
    }
  }
  if (out.context && out.snapshot.length)
    out.problems.push('give either --context or --snapshot, not both (using --snapshot)');
  return out;
}

export type InitialView =
  | { kind: 'demo' }
  | { kind: 'context'; context: string }
  | { kind: 'files'; paths: string[] }
  | { kind: 'none' };

/**
 * What a window opens first: explicit files, then an explicit context, then --demo; otherwise the
 * demo when the user has no kubeconfig at all, else nothing (the picker shows the contexts).
 */
export function initialViewFor(args: StartupArgs, hasKubeconfig: boolean): InitialView {
  if (args.snapshot.length) return { kind: 'files', paths: args.snapshot };
  if (args.context) return { kind: 'context', context: args.context };
  if (args.demo || !hasKubeconfig) return { kind: 'demo' };
  return { kind: 'none' };
}

/**
 * Makes --snapshot and --kubeconfig paths absolute. `npm start` runs in the package folder, so
 * relative paths are taken from where the user typed the command ($INIT_CWD) when npm says so.
 */
export function resolveArgPaths(args: StartupArgs, baseDir: string): StartupArgs {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  return {
    ...args,
    snapshot: args.snapshot.map(abs),
    ...(args.kubeconfig ? { kubeconfig: abs(args.kubeconfig) } : {}),
  };
}

export function userCwd(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD && isAbsolute(env.INIT_CWD) ? env.INIT_CWD : process.cwd();
}
