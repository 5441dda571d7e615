import { Body, Get, Inject, JsonResponse, LoginThrottle, Post, RequestContext, Route, Session, UseGuards, hashPassword, verifyPassword } from '@serv/core';
import { ApiError, apiErrors } from './api-error';
import { checkCredentials } from './names';
import { chatUser, requireUser } from './require-user';
import { UserStore } from './user-store';

/** Five wrong passwords per name or per address within 15 minutes lock that key until the window ends. */
const throttle = new LoginThrottle({ maxFailures: 5, windowS: 900 });

/** Sign-up, login, logout and "who am I", with the session cookie of `settings.sessions`. */
@Route('/api', { middleware: [apiErrors] })
export class AuthRoutes {
  constructor(private readonly users: UserStore) {}

  /** Creates the account and signs it in: 201 `{ user }`, 409 when the name is taken. */
  @Post('/signup')
  async signup(@Body() form: unknown, @Inject() session: Session): Promise<JsonResponse> {
    const { name, password } = checkCredentials(form);
    const user = await this.users.insert(name, await hashPassword(password));
    if (user === undefined) throw new ApiError(409, 'name_taken', `The name "${name}" is taken; choose another one`);
    await session.regenerate();
    session.user = { id: user.id, name: user.name };
    return new JsonResponse({ user: chatUser(session) }, { status: 201 });
  }

  /** 200 `{ user }`; 401 for a wrong name or password; 429 once the name or the address failed too often. */
  @Post('/login')
  async login(@Body() form: unknown, @Inject() session: Session, @Inject() ctx: RequestContext): Promise<unknown> {
    const { name, password } = checkCredentials(form);
    const keys = [`user:${name}`, `ip:${ctx.req.socket.remoteAddress ?? ''}`];
    throttle.check(keys);
    const user = await this.users.byName(name);
    if (user === undefined || !(await verifyPassword(password, user.passwordHash))) {
      throttle.fail(keys);
      throw new ApiError(401, 'wrong_credentials', 'Wrong name or password');
    }
    throttle.succeed(keys);
    await session.regenerate(); // a new id at login: a planted id is worthless
    session.user = { id: user.id, name: user.name };
    return { user: chatUser(session) };
  }

  /** Ends the session and closes its WebSockets (4401). */
  @Post('/logout')
  @UseGuards(requireUser)
  async logout(@Inject() session: Session): Promise<unknown> {
    await session.destroy({ closeSockets: true });
    return { ok: true };
  }

  /** The signed-in user, or 401. */
  @Get('/me')
  @UseGuards(requireUser)
  me(@Inject() session: Session): unknown {
    return { user: chatUser(session) };
  }
}
