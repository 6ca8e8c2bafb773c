/**
 * The same function as `index.ts`, callback style `(event, context, callback)`: `handler: callback.handler`.
 * The callback reaches FC only after the spans were flushed.
 */
import { tracedHandler } from '@tracery/fc';
import { nameFromEvent } from './event';
import { Greeter } from './greeter';

const greeter = new Greeter();

export const handler = tracedHandler(
  (event: Buffer, _context: unknown, callback: (error: unknown, result?: unknown) => void) => {
    greeter.greet(nameFromEvent(event)).then(
      (greeting) => callback(null, { greeting }),
      (error: unknown) => callback(error),
    );
  },
);
