import { existsSync } from 'node:fs';

/** Thrown when no Chromium is available to print a PDF. */
export class PdfUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfUnavailableError';
  }
}

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** The Chromium used for PDFs: `NETPOL_DOCTOR_CHROMIUM`, else a system Chromium, else undefined. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.NETPOL_DOCTOR_CHROMIUM;
  if (configured) return existsSync(configured) ? configured : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

const NO_CHROMIUM = (configured?: string) =>
  configured
    ? `cannot make a PDF: NETPOL_DOCTOR_CHROMIUM points to ${configured}, which does not exist. Point it at a Chromium or Chrome binary, or export --format html and print it from a browser.`
    : 'cannot make a PDF: no Chromium is installed (looked for /usr/bin/chromium and Chrome). Install one (e.g. "apt-get install chromium"), set NETPOL_DOCTOR_CHROMIUM to its path, or export --format html and print it from a browser. In the desktop app, PDF export needs nothing extra.';

/**
 * Prints the self-contained report HTML to PDF with headless Chromium through playwright-core.
 * (The Electron app uses webContents.printToPDF on the same HTML instead.)
 */
export async function renderPdf(
  html: string,
  opts: { chromium?: string; timeoutMs?: number } = {},
): Promise<Buffer> {
  const executablePath = opts.chromium ?? findChromium();
  if (!executablePath) throw new PdfUnavailableError(NO_CHROMIUM(process.env.NETPOL_DOCTOR_CHROMIUM));
  const { chromium } = await import('playwright-core');
  let browser;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      timeout: opts.timeoutMs ?? 30_000,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
      ],
    });
  } catch (e) {
    throw new PdfUnavailableError(
      `cannot make a PDF: Chromium at ${executablePath} did not start (${(e as Error).message.split('\n')[0]}).`,
    );
  }
  try {
    const context = await browser.newContext({
      colorScheme: 'light',
      javaScriptEnabled: false,
      offline: true,
    });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print', colorScheme: 'light' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
