import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The viewport of the desktop screenshots and of every user that does not ask for another. */
export const DESKTOP = { width: 1280, height: 800 };

/**
 * Debian's Chromium for the room chat's browser tests (never a downloaded browser), started on first use, with one
 * context per user and every page error collected; `close()` in `afterAll` ends it all.
 */
export class ChatBrowser {
  /** `name: message` of every uncaught error a page threw; a test expects none. */
  readonly pageErrors: string[] = [];
  private browser: Browser | undefined;
  private readonly contexts: BrowserContext[] = [];

  /** A fresh context (its own cookies) with one page, its errors collected under `name`. */
  async newPage(name: string, viewport = DESKTOP): Promise<Page> {
    this.browser ??= await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const context = await this.browser.newContext({ viewport, acceptDownloads: true });
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => this.pageErrors.push(`${name}: ${err.message}`));
    return page;
  }

  /** A new user in their own context: opens the page at `url` and signs up (a screenshot of the form into `screenshotPath` first, if given). */
  async signUp(url: string, name: string, options: { viewport?: { width: number; height: number }; screenshotPath?: string } = {}): Promise<Page> {
    const page = await this.newPage(name, options.viewport);
    await page.goto(url);
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Password').fill(`password-${name}`);
    if (options.screenshotPath !== undefined) await page.screenshot({ path: resolve(options.screenshotPath) });
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.locator('#me-name', { hasText: name }).waitFor();
    return page;
  }

  /** Closes every context and the browser. */
  async close(): Promise<void> {
    for (const context of this.contexts.splice(0)) await context.close();
    await this.browser?.close();
    this.browser = undefined;
  }
}

/** Types a room name into "Create or join a room", presses Enter and waits for the connection. */
export async function joinRoom(page: Page, room: string): Promise<void> {
  await page.getByLabel('Create or join a room').fill(room);
  await page.getByLabel('Create or join a room').press('Enter');
  await page.locator('#room-title', { hasText: `#${room}` }).waitFor();
  await page.locator('#status[data-state="open"]').waitFor();
}

/** Types `text` into the message box and presses Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
}
