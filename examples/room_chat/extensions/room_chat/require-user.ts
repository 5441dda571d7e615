import { type HandlerContext, type Session, UnauthorizedError } from '@serv/core';

/**
 * Who is signed in. An app of its own would declare this once as `declare module '@serv/core' { interface
 * SessionUser { id: number; name: string } }`; this repository type-checks every example and test as one program,
 * where that declaration would leak into the others, so the example reads the user through `chatUser()` instead.
 */
export interface ChatUser {
  id: number;
  name: string;
}

/** Guard: the request (or WebSocket handshake) must carry a signed-in session; 401 otherwise. */
export function requireUser(ctx: HandlerContext): boolean {
  if (ctx.session.user === undefined) throw new UnauthorizedError('Sign in first');
  return true;
}

/** The signed-in user of a session that passed `requireUser`. */
export function chatUser(session: Session): ChatUser {
  const user = session.user;
  if (user === undefined) throw new UnauthorizedError('Sign in first');
  return { id: user.id as number, name: user.name as string };
}
