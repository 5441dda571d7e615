/**
 * Worker-thread entry of `serv launch --dev`'s background type check: checks the target it is given and posts the
 * result back, so the compiler's seconds of work never block the server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { typeCheck, type TypeCheckTarget } from './type-check';

const result = typeCheck(workerData as TypeCheckTarget);
parentPort?.postMessage(result);
