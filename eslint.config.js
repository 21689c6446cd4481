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
    // Layering (DESIGN.md): only src/bitrix/ talks to the SDK.
    files: ['src/**/*.{ts,vue}'],
    ignores: ['src/bitrix/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@bitrix24/b24jssdk', '@bitrix24/b24jssdk/*'], message: 'Only src/bitrix/ may import the SDK: use the port in src/bitrix/port.ts.' }]
      }]
    }
  },
  {
    // The domain is pure: no Vue, Pinia, SDK, UI kit or DOM-bound modules.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['vue', 'pinia', '@bitrix24/*', '@/bitrix/*', '../bitrix/*', '../stores/*', '../components/*'], message: 'src/domain/ is pure TypeScript (DESIGN.md).' }]
      }]
    }
  }
)
