/** Authentication-method status: classification, personal status, readiness report, nudges. */
export * from './classify';
export * from './personal';
export * from './report';
export * from './nudges';
