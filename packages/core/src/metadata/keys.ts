/** Every metadata key Serv writes, in one place. */
export const METADATA = {
  route: 'serv:route',
  httpMethods: 'serv:http-methods',
  params: 'serv:params',
  listeners: 'serv:listeners',
  protocolRoute: 'serv:protocol-route',
  guards: 'serv:guards',
} as const;
