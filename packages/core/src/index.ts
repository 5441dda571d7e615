import 'reflect-metadata';

export { App, type ErrorHandler } from './app/app';
export type { AppOptions, ListenAddress } from './app/app-options';
export { createApp } from './app/create-app';
export { APP_EVENTS, EventBus, type EventListener } from './app/events';
export { compose, type HttpMiddleware } from './app/middleware';
export type { Protocol, ProtocolRuntime } from './protocol/protocol';
export { registerProtocol, getProtocol } from './protocol/registry';
export { rejectUpgrade } from './protocol/reject-upgrade';
export type { RouteDeclaration } from './app/route-declaration';

export { Route } from './decorators/route';
export { Get, Post, Put, Patch, Delete, Head, Options } from './decorators/http-methods';
export { Inject, Param, Query, Header, Cookie, Body, Settings } from './decorators/params';
export { On } from './decorators/on';
export { injectable as Injectable, type DependencyContainer, type InjectionToken } from 'tsyringe';

export type { Provider, ProviderScope } from './di/providers';
export type { Invoker } from './di/handler-compiler';

export { ServError, InjectionError, RouteDefinitionError, type ServErrorCode } from './errors/serv-error';
export { HeaderValueError, CookieError } from './errors/response-errors';
export {
  HttpError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  InternalServerError,
  type HttpErrorOptions,
} from './errors/http-errors';

export { BaseContext, BaseContext as HandlerContext } from './http/base-context';
export { RequestContext } from './http/request-context';
export {
  Response,
  HtmlResponse,
  JsonResponse,
  TextResponse,
  RedirectResponse,
  StreamingResponse,
  toResponse,
  type ResponseInit,
  type ResponseBody,
} from './http/responses';
export { FileResponse, type FileResponseOptions } from './http/file-response';
export { serveStatic, type StaticOptions } from './http/serve-static';
export { contentDisposition } from './http/content-disposition';
export type { CookieOptions } from './http/cookies';
export { parseQuery, type QueryValues } from './http/query';
export { ProxyTrust, type ClientAddress, type RequestOrigin, type TrustProxy } from './http/proxy-trust';

export { requestIdOf } from './logging/request-id';
export { defaultLogFormat, Logger, type LogFields, type LogFormat, type LogLevel, type LogSink } from './logging/logger';

export type { Readiness } from './app/ops-endpoints';
export type { MetricsSink, MetricSource, MetricLabels } from './metrics/metrics-sink';
export { PlainHistogram, DURATION_BUCKETS_S } from './metrics/plain-histogram';
export type { MetricsSettings, HealthSettings } from './metrics/ops-settings';
export { ClusterMetricsPrimary, METRICS_CLUSTER_ENV } from './metrics/cluster-metrics';

export { Session, type SessionUser, type DestroyOptions } from './sessions/session';
export type { SessionSettings, SessionSettingsInput, SessionStoreSettings } from './sessions/session-settings';
export { hashPassword, verifyPassword } from './sessions/password';
export { LoginThrottle, type LoginThrottleOptions } from './sessions/login-throttle';
export { UseGuards } from './guards/use-guards';
export type { Guard, GuardFunction, CanActivate } from './guards/guard';

export { meta as routeMetadata, HTTP_METHODS, type Constructor, type HttpMethod, type ProtocolRouteMeta } from './metadata/store';
export { declaredAt } from './metadata/declared-at';
export { compilePath, normalizePath, joinPaths, type PathPattern } from './routing/path-pattern';
export { parseRequestTarget, type RequestTarget, type BadRequestTarget } from './routing/request-target';
export type { RouteRecord, RouteInfo, HandlerTarget } from './routing/route-record';
export { RouteTable } from './routing/route-table';

export * from './config';
export {
  TestClient,
  createTestClient,
  type TestResponse,
  type TestRequestOptions,
} from './testing/test-client';
export type { TestWebSocketOptions, TestSocket, TestSocketConnector } from './testing/test-socket';
export { loadProject, type LoadProjectOptions } from './loading/load-project';
export { loadExtensions } from './loading/load-extensions';
export { importRef } from './loading/import-ref';
