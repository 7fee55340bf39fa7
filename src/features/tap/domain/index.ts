/** Temporary Access Pass workflow: pure domain code (docs/tap.md). */
export * from './request';
export * from './settings';
export * from './transitions';
export * from './recovery';
export * from './closedLoop';
export * from './facts';
export * from '../cards/views';
export * from './actions';
