export function findElectronBinary(
  env?: NodeJS.ProcessEnv,
): { path: string } | { path?: undefined; reason: string };
export function displayProblem(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string | undefined;
