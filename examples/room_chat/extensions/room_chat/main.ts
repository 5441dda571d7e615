// The room chat's routes: every decorated class exported here registers itself (see docs/routing.md).
export { PageRoute } from './page-route';
export { AuthRoutes } from './auth-routes';
export { RoomRoutes } from './room-routes';
export { FileRoutes } from './file-routes';
export { ClientModule } from './client-module';
export { RoomSocket } from './room-socket';
