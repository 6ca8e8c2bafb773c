import { SpanTag, Traced } from '@tracery/core';

/** The function's business logic: one `fc-operation` span with a child span per call. */
export class Greeter {
  /** The span FC's official sample calls `fc-operation`, here made by a decorator. */
  @Traced('fc-operation')
  async greet(@SpanTag('greeting.name') name: string): Promise<string> {
    const greeting = this.compose(name);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return greeting;
  }

  @Traced({ name: 'compose-greeting', recordResult: true })
  compose(name: string): string {
    return `hello, ${name}`;
  }
}
