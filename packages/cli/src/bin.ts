#!/usr/bin/env node
import { main } from './main';

// Exit explicitly once the command is done (after flushing), so a stray handle in user code cannot keep `serv` alive.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
