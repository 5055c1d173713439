import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers of docs/architecture.md, "Layers": each folder may import only what lies below it.
const ADAPTERS = '(^|/)(repositories|engines)/';
const EDGES = '(^|/)(http|cli|web)/';
const ROOT = '(^|/)(composition|open-backend)\\.ts$';
const layer = (files, forbidden, why) => ({
  files,
  ignores: ['**/*.test.ts', '**/*.pgtest.ts', '**/*.contract.ts'],
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((regex) => ({ regex, message: why })) }],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'models/', 'likeness-data/', 'test-output/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  layer(['src/domain/**'], ['(^|/)(ports|services)/', ADAPTERS, EDGES, ROOT], 'the domain is plain data and pure rules: it imports nothing of likeness'),
  layer(['src/ports/**'], ['(^|/)services/', ADAPTERS, EDGES, ROOT], 'a port names what the core needs; it depends on the domain only'),
  layer(['src/services/**'], [ADAPTERS, EDGES, ROOT], 'the core reaches adapters through src/ports only; the composition root wires them'),
  layer(['src/repositories/**', 'src/engines/**'], ['(^|/)services/', EDGES, ROOT], 'an adapter implements a port; it never calls the core or an edge'),
  layer(['src/http/**', 'src/cli/**'], [ADAPTERS], 'an edge calls use cases from the composition root, never an adapter'),
);
