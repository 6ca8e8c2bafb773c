import { describeFreeze } from './freezeMatrix';

describeFreeze('own');
