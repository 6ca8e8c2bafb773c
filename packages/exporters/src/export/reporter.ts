import { createReporter } from '@tracery/commons';

/** How this package reports its own faults (once each), through the reporter every Tracery package shares. */
export const exportersReporter = createReporter('@tracery/exporters');
