import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { ChatBrowser, DESKTOP, joinRoom as join, sendMessage as send } from './browser-steps';
import { makePng } from './png';
import { ChatClient, ROOM_CHAT_DIR, copyRoomChat, launchRoomChat, readUntil, removeRoomChatCopies, stopLaunchedExamples } from './room-chat';

jest.setTimeout(180_000); // one long story in a real browser, against a real server restarted midway; each step waits on page state

const SCREENSHOTS = resolve(ROOM_CHAT_DIR, 'screenshots');
const PHONE = { width: 375, height: 740 };
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const chat = new ChatBrowser();

beforeAll(() => {
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await chat.close();
  await stopLaunchedExamples();
  removeRoomChatCopies();
});

/** A new user in their own browser context: opens the page and signs up. */
function signUp(url: string, name: string, viewport = DESKTOP, screenshot?: string): Promise<Page> {
  return chat.signUp(url, name, { viewport, screenshotPath: screenshot === undefined ? undefined : resolve(SCREENSHOTS, screenshot) });
}

/** The `data-offset` of every message shown, in page order. */
function offsets(page: Page): Promise<number[]> {
  return page.locator('#messages > li').evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset.offset)));
}

/** Offsets that follow each other with no gap and no repeat. */
function contiguous(list: number[]): boolean {
  return list.every((offset, i) => i === 0 || offset === (list[i - 1] as number) + 1);
}

describe('the room chat in Chromium, two users and a bystander', () => {
  it('delivers messages, typing, presence, an image, history and a server restart to the right pages only', async () => {
    const dir = copyRoomChat();
    let server = await launchRoomChat(dir);
    const { url, port } = server;

    const ada = await signUp(url, 'ada');
    const bob = await signUp(url, 'bob');
    await join(ada, 'lobby');
    await join(bob, 'lobby');
    await ada.locator('#presence li', { hasText: 'bob' }).waitFor();
    expect(await bob.locator('#presence li').allTextContents()).toEqual(['ada', 'bob']);

    // A's message appears on B's page with A's name; HTML stays text.
    await send(ada, 'Hello Bob <b>not bold</b>');
    const onBob = bob.locator('#messages li[data-user="ada"]').first();
    await onBob.waitFor();
    expect(await onBob.locator('.message__author').textContent()).toBe('ada');
    expect(await onBob.locator('.message__text').textContent()).toBe('Hello Bob <b>not bold</b>');
    expect(await onBob.locator('b').count()).toBe(0);
    expect(await onBob.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);

    // B sees "ada is typing…", and it goes away with ada's next message.
    await ada.getByLabel('Message', { exact: true }).pressSequentially('Here comes a pic', { delay: 5 });
    await bob.locator('#typing', { hasText: 'ada is typing…' }).waitFor();
    await ada.getByLabel('Message', { exact: true }).press('Enter');
    await bob.locator('#messages li .message__text', { hasText: 'Here comes a pic' }).waitFor();
    expect(await bob.locator('#typing').textContent()).toBe('');

    // A shares an image; B sees the preview and downloads the same bytes.
    const png = makePng(96, 64);
    await ada.setInputFiles('#file-input', { name: 'gradient.png', mimeType: 'image/png', buffer: png });
    const preview = bob.locator('#messages li[data-user="ada"] .file__preview img');
    await preview.waitFor();
    await bob.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#messages .file__preview img');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    expect(await preview.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight, img.alt])).toEqual([96, 64, 'gradient.png']);
    const [download] = await Promise.all([bob.waitForEvent('download'), bob.locator('.file__download').first().click()]);
    expect(download.suggestedFilename()).toBe('gradient.png');
    expect(sha256(readFileSync(await download.path()))).toBe(sha256(png));

    // A third user in another room sees none of it, and is seen by nobody there.
    const cyd = await signUp(url, 'cyd', PHONE, 'phone-login.png');
    await join(cyd, 'elsewhere');
    await send(cyd, 'Anyone in elsewhere?');
    await cyd.locator('#messages li .message__text', { hasText: 'Anyone in elsewhere?' }).waitFor();
    await send(bob, 'Nice picture');
    await ada.locator('#messages li .message__text', { hasText: 'Nice picture' }).waitFor();
    expect(await cyd.locator('#messages li .message__text').allTextContents()).toEqual(['Anyone in elsewhere?']);
    expect(await cyd.locator('#presence li').allTextContents()).toEqual(['cyd']);
    expect(await cyd.locator('#typing').textContent()).toBe('');
    for (const page of [ada, bob]) expect(await page.locator('#messages li', { hasText: 'elsewhere' }).count()).toBe(0);

    // The room list counts distinct users online per room.
    await ada.locator('.room-link[data-room="lobby"] .room-link__count[data-members="2"]').waitFor();
    await ada.locator('.room-link[data-room="elsewhere"] .room-link__count[data-members="1"]').waitFor();

    // A reloads and sees the history (the room comes back from the address).
    await ada.reload();
    await ada.locator('#status[data-state="open"]').waitFor();
    await ada.locator('#messages li .message__text', { hasText: 'Nice picture' }).waitFor();
    expect(await ada.locator('#messages li .message__text').allTextContents()).toEqual(['Hello Bob <b>not bold</b>', 'Here comes a pic', 'Nice picture']);
    expect(await ada.locator('#messages li .file__name').allTextContents()).toEqual(['gradient.png']);
    expect(await offsets(ada)).toEqual([1, 2, 3, 4]);

    for (let i = 1; i <= 3; i += 1) await send(bob, `Before the restart ${i}`);
    await ada.locator('#messages li .message__text', { hasText: 'Before the restart 3' }).waitFor();
    await ada.screenshot({ path: resolve(SCREENSHOTS, 'desktop.png') });

    // The server restarts (same data, same port) while both are connected; a message typed meanwhile waits.
    const dave = await new ChatClient(url).signup('dave');
    expect(await server.stop()).toBe(0);
    await ada.locator('#status[data-state="reconnecting"]').waitFor();
    await bob.locator('#status[data-state="reconnecting"]').waitFor();
    await send(ada, 'Typed while the server was down');
    server = await launchRoomChat(dir, port);
    const api = await dave.socket('lobby');
    await readUntil(api, (f) => f.type === 'presence');
    for (let i = 1; i <= 3; i += 1) await api.send(JSON.stringify({ type: 'message', text: `From the API after the restart ${i}` }));
    await ada.locator('#status[data-state="open"]').waitFor({ timeout: 60_000 });
    await bob.locator('#status[data-state="open"]').waitFor({ timeout: 60_000 });
    await send(bob, 'Back again');
    for (const page of [ada, bob]) {
      await page.locator('#messages li .message__text', { hasText: 'Back again' }).waitFor();
      await page.locator('#messages li .message__text', { hasText: 'Typed while the server was down' }).waitFor();
    }
    const last = Number(await bob.locator('#messages > li').last().getAttribute('data-offset'));
    expect(last).toBe(12); // 4 + 3 before, 1 queued, 3 from the API, 1 after
    expect(await offsets(bob)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const onAda = await offsets(ada);
    expect(contiguous(onAda) && onAda[0] === 1 && onAda[onAda.length - 1] === 12).toBe(true);
    expect(await bob.locator('#messages li .message__text', { hasText: 'From the API after the restart' }).count()).toBe(3);
    await api.close();

    // Phone width: the room, then the room list.
    await bob.setViewportSize(PHONE);
    const widths = await bob.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(widths).toEqual([375, 375]);
    await bob.screenshot({ path: resolve(SCREENSHOTS, 'phone.png') });
    await bob.getByRole('button', { name: 'Back to the rooms' }).click();
    await bob.locator('.room-link[data-room="lobby"]').waitFor();
    await bob.screenshot({ path: resolve(SCREENSHOTS, 'phone-rooms.png') });

    expect(chat.pageErrors).toEqual([]);
    expect(await server.stop()).toBe(0);
  });

  it('says what is wrong on the login form, and loads older messages when the reader scrolls to the top', async () => {
    const server = await launchRoomChat(copyRoomChat());
    const writer = await new ChatClient(server.url).signup('writer');
    const ws = await writer.socket('long');
    await readUntil(ws, (f) => f.type === 'presence');
    for (let i = 1; i <= 120; i += 1) ws.send(JSON.stringify({ type: 'message', text: `Message number ${i}` }));
    await readUntil(ws, (f) => f.data?.text === 'Message number 120');
    await ws.close();

    const page = await chat.newPage('reader', PHONE);
    await page.goto(`${server.url}/#room=long`);
    await page.getByLabel('Name', { exact: true }).fill('writer');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('#auth-error', { hasText: 'Wrong name or password' }).waitFor();
    await page.getByLabel('Password').fill('password-writer');
    await page.getByRole('button', { name: 'Log in' }).click();

    await page.locator('#messages li[data-offset="120"]').waitFor();
    expect(await offsets(page)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
    expect(await page.isVisible('#older-button')).toBe(true);
    await page.locator('#drop-zone').evaluate((scroller) => scroller.scrollTo(0, 0));
    await page.locator('#messages li[data-offset="21"]').waitFor();
    await page.locator('#drop-zone').evaluate((scroller) => scroller.scrollTo(0, 0));
    await page.locator('#history-start:not([hidden])').waitFor();
    expect(await offsets(page)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(await page.isVisible('#older-button')).toBe(false);

    expect(chat.pageErrors).toEqual([]);
    expect(await server.stop()).toBe(0);
  });
});
