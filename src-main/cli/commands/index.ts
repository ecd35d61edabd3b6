import type { Command } from 'commander';
import { registerTrace } from './trace';
import { registerMatrix } from './matrix';
import { registerLint } from './lint';
import { registerContexts } from './contexts';
import { registerSnapshot } from './snapshot';
import { registerDiagnose } from './diagnose';
import { registerReport } from './report';
import { registerCheck } from './check';
import { registerFlows } from './flows';

/** The command structure. Each command lives in its own module, owned by its capability. */
export function registerCommands(program: Command): void {
  registerTrace(program);
  registerMatrix(program);
  registerLint(program);
  registerDiagnose(program);
  registerReport(program);
  registerCheck(program);
  registerFlows(program);
  registerContexts(program);
  registerSnapshot(program);
}
