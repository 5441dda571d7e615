/** The text a `publish()` delivers: `{"room","offset","epoch","at","data"}`, with `data` already JSON. */
export function envelopeText(room: string, offset: number | null, epoch: string, at: number, dataJson: string): string {
  return `{"room":${JSON.stringify(room)},"offset":${offset},"epoch":${JSON.stringify(epoch)},"at":${at},"data":${dataJson}}`;
}

/** `data` as JSON text; `TypeError` "Data is not JSON serializable" like `ws.sendJson()`. */
export function toJsonText(data: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (err) {
    throw new TypeError(`Data is not JSON serializable: ${(err as Error).message}`, { cause: err });
  }
  if (text === undefined) throw new TypeError(`Data is not JSON serializable: ${typeof data} has no JSON representation`);
  return text;
}

/** A short random id (base 36), for instances and epochs. */
export function randomId(length = 10): string {
  let id = '';
  while (id.length < length) id += Math.random().toString(36).slice(2);
  return id.slice(0, length);
}
