/** A mistake on the command line (unknown command or flag, missing or malformed value): exit code 2. */
export class UsageError extends Error {
  /** Stable code for callers that branch on the kind of error. */
  readonly code = 'USAGE';

  /** `helpFor` names the command whose help the user should read, e.g. `serv config set`. */
  constructor(message: string, readonly helpFor = 'serv') {
    super(message);
    this.name = 'UsageError';
  }
}
