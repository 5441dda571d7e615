import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { EXAMPLE_DIR, launchExample, stopLaunchedExamples, type LaunchedExample } from './launch-example';

const ARTIFACTS = resolve(EXAMPLE_DIR, 'test-artifacts');
const CLOCK = /^\d{2}:\d{2}:\d{2}$/;
jest.setTimeout(30_000); // a test launches the CLI and drives a browser; each step still waits on page state

const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

let browser: Browser;
let page: Page | undefined;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

afterEach(async () => {
  await page?.close();
  page = undefined;
  await stopLaunchedExamples();
});

afterAll(async () => {
  await browser.close();
});

/** Opens the example's page and waits until its WebSocket is connected. */
async function openConnectedPage(server: LaunchedExample, viewport = DESKTOP): Promise<Page> {
  page = await browser.newPage({ viewport });
  await page.goto(server.url);
  await page.waitForSelector('#status[data-state="connected"]');
  return page;
}

/** Types a message, presses Enter and waits for the n-th received line (1-based); returns its parts. */
async function sendAndAwaitEcho(target: Page, text: string, n: number): Promise<{ label: string; time: string; text: string }> {
  await target.fill('#message-input', text);
  await target.press('#message-input', 'Enter');
  const echo = target.locator('#messages [data-kind="received"]').nth(n - 1);
  await echo.waitFor();
  return {
    label: (await echo.locator('.msg__label').textContent()) ?? '',
    time: (await echo.locator('.msg__time').textContent()) ?? '',
    text: (await echo.locator('.msg__text').textContent()) ?? '',
  };
}

describe('the chat page in Chromium', () => {
  it('connects, echoes a message sent with Enter and shows it with a timestamp', async () => {
    const server = await launchExample();
    const chat = await openConnectedPage(server);

    expect((await chat.textContent('#status'))?.trim()).toBe('Connected');
    expect(await chat.isEnabled('#message-input')).toBe(true);
    expect(await chat.isEnabled('#send-button')).toBe(true);
    expect(await chat.textContent('#endpoint')).toBe(server.wsUrl);

    const echo = await sendAndAwaitEcho(chat, 'Hello from Chromium', 1);
    expect(echo).toEqual({ label: 'Server:', time: expect.stringMatching(CLOCK), text: 'Echo: Hello from Chromium' });
    const sent = chat.locator('#messages [data-kind="sent"]');
    expect(await sent.locator('.msg__label').allTextContents()).toEqual(['You:']);
    expect(await sent.locator('.msg__text').allTextContents()).toEqual(['Hello from Chromium']);
    expect(await chat.inputValue('#message-input')).toBe('');

    await sendAndAwaitEcho(chat, 'The reconnect logic backs off from 1 s to 30 s.', 2);
    await chat.screenshot({ path: resolve(ARTIFACTS, 'chat-desktop-1280x800.png'), animations: 'disabled' });
    await chat.setViewportSize(PHONE);
    await chat.screenshot({ path: resolve(ARTIFACTS, 'chat-phone-375x740.png'), animations: 'disabled' });
  });

  it('sends with the Send button and ignores empty or whitespace-only messages', async () => {
    const chat = await openConnectedPage(await launchExample());

    await chat.fill('#message-input', '   ');
    await chat.press('#message-input', 'Enter');
    await chat.fill('#message-input', '  padded  ');
    await chat.click('#send-button');
    await chat.locator('#messages [data-kind="received"]').first().waitFor();

    expect(await chat.locator('#messages [data-kind="sent"] .msg__text').allTextContents()).toEqual(['padded']);
    expect(await chat.locator('#messages [data-kind="received"] .msg__text').allTextContents()).toEqual(['Echo: padded']);
  });

  it('fits a 375 px phone screen without horizontal scrolling', async () => {
    const chat = await openConnectedPage(await launchExample(), PHONE);
    await sendAndAwaitEcho(chat, 'A long message that has to wrap inside its bubble instead of widening the page at all', 1);

    const widths = await chat.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(widths).toEqual({ scroll: 375, client: 375 });
    const send = await chat.locator('#send-button').boundingBox();
    expect(send !== null && send.x + send.width <= 375).toBe(true);
  });

  it('shows the disconnect when the server stops and reconnects by itself when it starts again on the same port', async () => {
    const first = await launchExample();
    const chat = await openConnectedPage(first, PHONE);
    await sendAndAwaitEcho(chat, 'before the restart', 1);

    expect(await first.stop()).toBe(0);
    await chat.waitForSelector('#status[data-state="disconnected"]');
    expect((await chat.textContent('#status'))?.trim()).toMatch(/^Disconnected \(\d{4}\)$/);
    expect(await chat.isDisabled('#message-input')).toBe(true);
    expect(await chat.isDisabled('#send-button')).toBe(true);
    const closed = chat.locator('#messages [data-kind="system"] .msg__text', { hasText: 'Connection closed' });
    expect(await closed.allTextContents()).toEqual(['Connection closed (1001): Server shutting down']);
    await chat.waitForSelector('#reconnect-banner:not([hidden])');
    expect(await chat.textContent('#reconnect-text')).toMatch(/^Reconnecting in \d+ s \(attempt \d+\)$/);
    await chat.screenshot({ path: resolve(ARTIFACTS, 'chat-phone-disconnected-375x740.png'), animations: 'disabled' });

    await launchExample(first.port);
    await chat.waitForSelector('#status[data-state="connected"]', { timeout: 40_000 });
    expect(await chat.isHidden('#reconnect-banner')).toBe(true);
    const echo = await sendAndAwaitEcho(chat, 'after the restart', 2);
    expect(echo.text).toBe('Echo: after the restart');
  }, 60_000);
});
