// Kept in sync with package.json by scripts/build.mjs (checked by a unit test).
export const APP_VERSION = '0.1.0';
export const APP_NAME = 'Netpol Doctor';
