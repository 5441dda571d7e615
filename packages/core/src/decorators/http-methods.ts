import { RouteDefinitionError } from '../errors/serv-error';
import { meta, type Constructor, type HttpMethod } from '../metadata/store';
import { compilePath } from '../routing/path-pattern';

function methodDecorator(method: HttpMethod, decorator: string, subPath: string): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    // A static method's target is the class itself, whose .constructor would be Function.
    const cls = (typeof target === 'function' ? target : target.constructor) as Constructor;
    const where = `${decorator} on ${cls.name}.${String(propertyKey)}`;
    if (typeof propertyKey !== 'string') throw new RouteDefinitionError(`${where}: symbol-named methods cannot be routes`);
    if (typeof descriptor.value !== 'function') throw new RouteDefinitionError(`${where}: it must decorate a method`);
    if (typeof target === 'function') throw new RouteDefinitionError(`${where}: it must decorate an instance method, not a static one`);
    if (subPath !== '') compilePath(subPath, where);
    meta.addHttpMethod(cls, { method, subPath, propertyKey });
  };
}

/** Answers GET (and HEAD) requests with this method; `subPath` is appended to the class path. @example `@Get() list() {…}` */
export const Get = (subPath = ''): MethodDecorator => methodDecorator('GET', '@Get()', subPath);
/** Answers POST requests with this method. @example `@Post() create(@Body() body: NewUser) {…}` */
export const Post = (subPath = ''): MethodDecorator => methodDecorator('POST', '@Post()', subPath);
/** Answers PUT requests with this method. @example `@Put() replace(@Body() body: User) {…}` */
export const Put = (subPath = ''): MethodDecorator => methodDecorator('PUT', '@Put()', subPath);
/** Answers PATCH requests with this method. @example `@Patch() update(@Body() body: Partial<User>) {…}` */
export const Patch = (subPath = ''): MethodDecorator => methodDecorator('PATCH', '@Patch()', subPath);
/** Answers DELETE requests with this method. @example `@Delete() remove(@Param('id') id: number) {…}` */
export const Delete = (subPath = ''): MethodDecorator => methodDecorator('DELETE', '@Delete()', subPath);
/** Answers HEAD requests with this method (GET routes answer HEAD without it). @example `@Head() probe() {…}` */
export const Head = (subPath = ''): MethodDecorator => methodDecorator('HEAD', '@Head()', subPath);
/** Answers OPTIONS requests with this method. @example `@Options() preflight() {…}` */
export const Options = (subPath = ''): MethodDecorator => methodDecorator('OPTIONS', '@Options()', subPath);
