import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { EXAMPLE_DIR, launchExample, stopLaunchedExamples } from './launch-example';

jest.setTimeout(30_000); // each test launches the CLI and runs a script through npm

/** What a finished script printed and how it exited. */
interface ScriptRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run --silent <script> -- <args>` in the example folder, as the README says, and waits for it to exit. */
function runNpmScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ScriptRun> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
      cwd: EXAMPLE_DIR,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', rejectRun);
    child.once('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

/** A port that was free a moment ago and has nothing listening on it now. */
function closedPort(): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const server = createServer();
    server.once('error', rejectPort);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') rejectPort(new Error('expected a TCP address'));
      else server.close(() => resolvePort(address.port));
    });
  });
}

afterEach(async () => {
  await stopLaunchedExamples();
});

describe('the example scripts against the launched example', () => {
  it('test_connection.ts exits 0 once "Echo: Hello, WebSocket!" arrives', async () => {
    const server = await launchExample();
    const run = await runNpmScript('test:connection', [server.wsUrl]);

    expect(run).toEqual({
      code: 0,
      stdout: [
        `Connecting to ${server.wsUrl} ...`,
        'Connected.',
        'Sent:     Hello, WebSocket!',
        'Received: Echo: Hello, WebSocket!',
        'PASS: the server echoed the message.',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('test_websocket.ts passes its text, unicode, JSON, binary and ordering checks, reading the URL from SERV_URL', async () => {
    const server = await launchExample();
    const run = await runNpmScript('test:websocket', [], { SERV_URL: server.wsUrl });

    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`Running 5 checks against ${server.wsUrl}`);
    expect(run.stdout.match(/^ {2}✓ .+$/gm)).toEqual([
      '  ✓ echoes a text message with the "Echo: " prefix',
      '  ✓ keeps unicode text intact',
      '  ✓ echoes a JSON document that still parses after the prefix',
      '  ✓ echoes binary messages back byte for byte, as binary',
      '  ✓ echoes 100 messages in the order they were sent',
    ]);
    expect(run.stdout).toContain('5 passed, 0 failed (5 checks)');
    expect(run.code).toBe(0);
  });

  it('debug_websocket.ts logs each step of the round trip, closes with 1000 and exits 0', async () => {
    const server = await launchExample();
    const run = await runNpmScript('debug:websocket', [server.wsUrl]);

    const steps = run.stdout.split('\n').filter(Boolean).map((line) => line.replace(/^\[[^\]]+\] \+ *\d+ ms {2}#[ \d]\d {2}/, ''));
    expect(steps).toEqual(
      expect.arrayContaining([
        `CONNECTING  connecting to ${server.wsUrl}`,
        'CONNECTING  handshake answered: HTTP 101 Switching Protocols',
        'OPEN        sending text "Hello, WebSocket!" (17 bytes)',
        'OPEN        received text frame: "Echo: Hello, WebSocket!"',
        'OPEN        echo matches what was sent',
        'OPEN        closing with 1000 "Debug session finished"',
        'CLOSED      RESULT: OK, the server echoed the message',
      ]),
    );
    expect(steps.at(-1)).toBe('CLOSED      RESULT: OK, the server echoed the message');
    expect(run.stdout).toMatch(/^\[\d{4}-\d{2}-\d{2}T[\d:.]+Z\] \+ +\d+ ms {2}# 1 {2}CONNECTING/);
    expect(run.code).toBe(0);
  });
});

describe('test_connection.ts without a server', () => {
  it('exits 1 and says that no server is running at the URL and how to start one', async () => {
    const url = `ws://127.0.0.1:${await closedPort()}/ws`;
    const run = await runNpmScript('test:connection', [url]);

    expect(run).toEqual({
      code: 1,
      stdout: `Connecting to ${url} ...\n`,
      stderr: `FAIL: no server is running at ${url} (connection refused). Start it with: cd examples/websocket_chat && npx serv launch\n`,
    });
  });
});
