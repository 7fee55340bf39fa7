import { describeStoresContract } from '../support/storesContract';
import { TestSchemas } from './support';

describe('PostgreSQL storage backend', () => {
  const schemas = new TestSchemas();
  after(() => schemas.dropAll());

  describeStoresContract('PostgreSQL', {
    openEmpty: () => schemas.open(schemas.newSchema()),
    newDatabase: async () => {
      const schema = schemas.newSchema();
      return { open: () => schemas.open(schema) };
    },
  });
});
