/**
 * The room chat in production shape, as two machines behind a proxy would run it: two `serv launch` instances of
 * one copy (Redis broker, PostgreSQL store, Redis sessions, one shared data/files folder), one user on each, the
 * two-user flow in Debian's Chromium. Needs Redis at 127.0.0.1:6379 and PostgreSQL at 127.0.0.1:5432 (database
 * `test`); every key and table of a run carries its own prefix and is deleted afterwards.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { ChatBrowser, joinRoom as join, sendMessage as send } from './browser-steps';
import { cleanUpPrefixes, launchProductionPair, pairPrefixes, productionServicesAvailable, type ProductionPair } from './production-pair';
import { removeRoomChatCopies, stopLaunchedExamples } from './room-chat';

jest.setTimeout(180_000); // two CLI launches and a browser story; each step waits on page state, not on time

const SUITE = 'examples/room_chat/test/two-instances.test.ts';
const describeWithServices = productionServicesAvailable(SUITE) ? describe : describe.skip;
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
/** A 12×8 gradient PNG: small enough to inline, real enough that Chromium decodes it for the preview. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAwAAAAICAIAAABChommAAAA30lEQVR4nAXBoQ5AERQAUF+nSpqoyIJuinir8kw0myCZKCjijYrgP945hNEn6FEUDd2OTqDjo63Q3GlaNCCFSz1h/Al+FEfDt+MT+Ph4Kzx3nhYPyOFyT5h8Qh4l0cjt5AQ5PtmKzF2mJQNKuNITpp/QR2k0ejs9QY9Pt6Jz12npgBqu9oTZJ+xRFo3dzk6w47Ot2NxtWjaghWs9YfAEHAVoYDuYAOODViB3SAsCAlzwhMUn4lERTdwuTojji63E3GNaMWCEGz1h9Yl6VEVTt6sT6vhqKzX3mlYNWOFW/wOZyquBSbmcDQAAAABJRU5ErkJggg==',
  'base64',
);

const prefixes = pairPrefixes();
const chat = new ChatBrowser();

afterAll(async () => {
  await chat.close();
  await stopLaunchedExamples();
  removeRoomChatCopies();
  if (productionServicesAvailable(SUITE)) await cleanUpPrefixes(prefixes);
});

/** A new user in their own browser context, on the instance at `url`: opens the page and signs up. */
const signUp = (url: string, name: string): Promise<Page> => chat.signUp(url, name);

/** What `GET /api/me` answers on the instance at `url` with the cookies of `page`'s context. */
async function me(page: Page, url: string): Promise<{ status: number; body: unknown }> {
  const res = await page.context().request.get(`${url}/api/me`);
  return { status: res.status(), body: await res.json() };
}

describeWithServices('the room chat on two instances (Redis broker, PostgreSQL store, Redis sessions)', () => {
  let pair: ProductionPair;

  it('carries sessions, presence, messages, typing, an image and history from one instance to the other', async () => {
    pair = await launchProductionPair(prefixes);
    const { first, second } = pair;
    expect(first.port).not.toBe(second.port);

    // Each user signs up on their own instance; the session lives in Redis, so either instance knows it.
    const ada = await signUp(first.url, 'ada');
    const bob = await signUp(second.url, 'bob');
    expect(await me(ada, second.url)).toEqual({ status: 200, body: { user: { id: expect.any(Number), name: 'ada' } } });
    expect(await me(bob, first.url)).toEqual({ status: 200, body: { user: { id: expect.any(Number), name: 'bob' } } });

    // Both join one room; presence spans the instances.
    await join(ada, 'lobby');
    await join(bob, 'lobby');
    await ada.locator('#presence li', { hasText: 'bob' }).waitFor();
    await bob.locator('#presence li', { hasText: 'ada' }).waitFor();
    expect(await bob.locator('#presence li').allTextContents()).toEqual(['ada', 'bob']);

    // A types on the first instance: B (second instance) sees "ada is typing…", an ephemeral broadcast through
    // Redis; A's message then appears on B's page with A's name and clears it.
    await ada.getByLabel('Message', { exact: true }).pressSequentially('Hello from instance one', { delay: 5 });
    await bob.locator('#typing', { hasText: 'ada is typing…' }).waitFor();
    await ada.getByLabel('Message', { exact: true }).press('Enter');
    const onBob = bob.locator('#messages li[data-user="ada"]').first();
    await onBob.waitFor();
    expect(await onBob.locator('.message__author').textContent()).toBe('ada');
    expect(await onBob.locator('.message__text').textContent()).toBe('Hello from instance one');
    expect(await bob.locator('#typing').textContent()).toBe('');

    // A uploads an image through the first instance; B's page loads the preview and downloads the same bytes from
    // the second, which reads the shared data/files folder.
    await ada.setInputFiles('#file-input', { name: 'from-one.png', mimeType: 'image/png', buffer: PNG });
    const preview = bob.locator('#messages li[data-user="ada"] .file__preview img');
    await preview.waitFor();
    await bob.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#messages .file__preview img');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    expect(await preview.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight, new URL(img.src).origin])).toEqual([12, 8, second.url]);
    const [download] = await Promise.all([bob.waitForEvent('download'), bob.locator('.file__download').first().click()]);
    expect(download.suggestedFilename()).toBe('from-one.png');
    expect(sha256(readFileSync(await download.path()))).toBe(sha256(PNG));

    // B answers from the second instance; A reloads and gets the whole history back from PostgreSQL.
    await send(bob, 'Got it on instance two');
    await ada.locator('#messages li .message__text', { hasText: 'Got it on instance two' }).waitFor();
    await ada.reload();
    await ada.locator('#status[data-state="open"]').waitFor();
    await ada.locator('#messages li .message__text', { hasText: 'Got it on instance two' }).waitFor();
    expect(await ada.locator('#messages li .message__text').allTextContents()).toEqual(['Hello from instance one', 'Got it on instance two']);
    expect(await ada.locator('#messages li .file__name').allTextContents()).toEqual(['from-one.png']);
    expect(await ada.locator('#messages > li').evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset.offset)))).toEqual([1, 2, 3]);

    expect(chat.pageErrors).toEqual([]);
    expect(await first.stop()).toBe(0);
    expect(await second.stop()).toBe(0);
  });
});
