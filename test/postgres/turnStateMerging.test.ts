import { describeTurnStateMerging } from '../support/turnStateMerging';
import { TestSchemas } from './support';

const schemas = new TestSchemas();
after(() => schemas.dropAll());

describeTurnStateMerging('PostgreSQL, two instances on one schema', async () => {
  const schema = schemas.newSchema();
  const one = await schemas.open(schema);
  const two = await schemas.open(schema);
  return { states: [one.botState, two.botState], close: async () => void (await Promise.all([one.close(), two.close()])) };
});
