/**
 * Dependency rules of the feature slices (docs/architecture.md). `npm run depcheck` fails CI on any.
 * A feature's public entry points: `domain/index.ts` and its `app/` services; nothing else of a
 * feature is imported from outside it.
 */
const IO = '^(node:)?(fs|fs/promises|http|https|http2|net|tls|dgram|dns|child_process|cluster|worker_threads|readline)$';
const LIBRARIES_WITH_IO = '^(botbuilder|botbuilder-.*|botframework-.*|@microsoft/teams-ai|@microsoft/microsoft-graph-client|@azure/identity|better-sqlite3|pg|restify)$';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds rules only: no I/O, no ports (src/graph, src/storage), no Teams, Graph client or database libraries.',
      severity: 'error',
      from: { path: '^src/features/[^/]+/domain/' },
      to: { path: [IO, LIBRARIES_WITH_IO, '^src/(graph|storage|bot)/', '^node_modules/(botbuilder|botframework-|@microsoft/teams-ai|@microsoft/microsoft-graph-client|@azure/identity|better-sqlite3|pg/|restify)'] },
    },
    {
      name: 'domain-core-modules',
      comment: 'domain/ uses no I/O core modules.',
      severity: 'error',
      from: { path: '^src/features/[^/]+/domain/' },
      to: { dependencyTypes: ['core'], path: IO },
    },
    {
      name: 'feature-public-entry-points-only',
      comment: "A feature reaches another only through its domain/index.ts or its app/ services, never its cards/, routes.ts or domain internals.",
      severity: 'error',
      from: { path: '^src/features/([^/]+)/' },
      to: {
        path: '^src/features/([^/]+)/',
        pathNot: ['^src/features/$1/', '^src/features/[^/]+/domain/index\\.ts$', '^src/features/[^/]+/app/'],
      },
    },
    {
      name: 'only-bot-and-composition-import-bot',
      comment: 'src/bot is Teams plumbing: only itself and the composition root use it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/bot/', '^src/composition\\.ts$'] },
      to: { path: '^src/bot/' },
    },
    {
      name: 'graph-client-only-in-graph',
      comment: 'src/graph is the only importer of the Graph client and @azure/identity.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/graph/', '^src/bot/', '^src/composition\\.ts$', '^src/ops/'] },
      to: { path: '^node_modules/(@microsoft/microsoft-graph-client)/' },
    },
    {
      name: 'no-circular',
      severity: 'warn',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
