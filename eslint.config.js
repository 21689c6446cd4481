import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'emulator/shell/public/vendor/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } }
  },
  {
    rules: {
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Every user-supplied string renders as text.
      'vue/no-v-html': 'error',
      'vue/no-v-text-v-html-on-component': 'error'
    }
  },
  {
    // Layering (docs/ARCHITECTURE.md): only src/platform/ talks to the SDK.
    files: ['src/**/*.{ts,vue}'],
    ignores: ['src/platform/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@bitrix24/b24jssdk', '@bitrix24/b24jssdk/*'], message: 'Only src/platform/ may import the SDK: use the port in src/platform/port.ts.' }]
      }]
    }
  },
  {
    // The domain is pure: no Vue, Pinia, SDK, UI kit, platform, services, stores or components.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['vue', 'pinia', 'vue-i18n', '@bitrix24/*', '**/platform/**', '**/services/**', '**/stores/**', '**/components/**', '**/locales/**'], message: 'src/domain/ is pure TypeScript (docs/ARCHITECTURE.md).' }]
      }]
    }
  },
  {
    // The platform adapter knows Bitrix24 and the domain's names, nothing of the app's use cases or views.
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['vue', 'pinia', '**/services/**', '**/stores/**', '**/components/**', '**/placements/**'], message: 'src/platform/ is the SDK adapter: it imports only the SDK and src/domain/.' }]
      }]
    }
  },
  {
    // Services are the use cases: domain + platform port, no Vue, no views.
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@bitrix24/b24jssdk', '@bitrix24/b24jssdk/*'], message: 'Only src/platform/ may import the SDK.' },
          { group: ['vue', 'pinia', '**/stores/**', '**/components/**', '**/placements/**'], message: 'src/services/ are use cases over the port: no Vue, stores or views.' }
        ]
      }]
    }
  },
  {
    // Stores orchestrate services for the views: no views.
    files: ['src/stores/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@bitrix24/b24jssdk', '@bitrix24/b24jssdk/*'], message: 'Only src/platform/ may import the SDK.' },
          { group: ['**/components/**', '**/placements/**'], message: 'Stores do not import views.' }
        ]
      }]
    }
  },
  {
    // Components see stores, composables, the domain's types and the locales — never the port or the services.
    files: ['src/components/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@bitrix24/b24jssdk', '@bitrix24/b24jssdk/*'], message: 'Only src/platform/ may import the SDK.' },
          { group: ['**/services/**'], allowTypeImports: true, message: 'Components call stores, not services (types only).' },
          { group: ['**/platform/**'], importNamePattern: '^(?!AppError$|errorKind$)', allowTypeImports: true, message: 'Components use the platform only for types (and AppError); I/O goes through stores.' }
        ]
      }]
    }
  }
)
