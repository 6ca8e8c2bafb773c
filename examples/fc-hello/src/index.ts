/**
 * An async FC event handler, traced. Deploy with `handler: index.handler`. Nothing else to set up: the spans
 * go to the Jaeger endpoint FC hands the invocation (`context.tracing.jaegerEndpoint`), under FC's span, and
 * are flushed before the returned promise settles.
 */
import { tracedHandler } from '@tracery/fc';
import { nameFromEvent } from './event';
import { Greeter } from './greeter';

const greeter = new Greeter();

export const handler = tracedHandler(async (event: Buffer) => {
  const greeting = await greeter.greet(nameFromEvent(event)); // @Traced('fc-operation') and its child
  return { greeting };
});
