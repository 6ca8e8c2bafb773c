import { createReporter } from '@tracery/commons';

/** How this package reports its faults (once each), through the reporter every Tracery package shares. */
export const fcReporter = createReporter('@tracery/fc');
