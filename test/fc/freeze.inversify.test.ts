import { describeFreeze } from './freezeMatrix';

describeFreeze('inversify');
