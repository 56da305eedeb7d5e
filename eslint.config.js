// ESLint (flat config): typescript-eslint with type information (recommendedTypeChecked:
// promises nobody awaits or that go where a callback returns nothing, `await` on what is
// not a promise, and no-deprecated for APIs their authors have retired, such as Remix's
// json()), React's hooks rules and jsx-a11y for the pages, Vitest's and Playwright's rules
// for the tests. `npm run lint` allows no warning.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import vitest from "@vitest/eslint-plugin";
import jsxA11y from "eslint-plugin-jsx-a11y";
import playwright from "eslint-plugin-playwright";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: ["build/", "public/build/", "node_modules/", ".data/", "test-results/", "playwright-report/", ".cache/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js", "bench/baseline/*.js"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-deprecated": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      // Remix's way to answer early from a loader or an action is to throw a Response.
      "@typescript-eslint/only-throw-error": [
        "error",
        {
          allow: [
            { from: "lib", name: "Response" },
            { from: "package", package: "@types/node", name: "Response" },
            { from: "package", package: "undici-types", name: "Response" },
            { from: "package", package: "@remix-run/server-runtime", name: "TypedResponse" },
          ],
        },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "off",
    },
  },
  {
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    languageOptions: { globals: { ...globals.browser } },
    rules: { ...reactHooks.configs.recommended.rules, ...jsxA11y.flatConfigs.strict.rules },
  },
  {
    // Tests and their harnesses read arbitrary JSON from the emulator and the app, and let
    // expect() do the checking.
    // Their fakes implement async interfaces with answers at hand.
    files: ["**/*.test.ts", "tests/**", "emulator/testing/**", "bench/**"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["**/*.test.ts"],
    ...vitest.configs.recommended,
    rules: {
      ...vitest.configs.recommended.rules,
      // expect(value, "what it is") names the value in the failure message.
      "vitest/valid-expect": ["error", { maxArgs: 2 }],
      // Helpers that throw unless the app behaves (untilRefused, fuzzDeployment) assert too.
      "vitest/expect-expect": [
        "error",
        { assertFunctionNames: ["expect", "expect*", "untilRefused", "fuzzDeployment"] },
      ],
    },
  },
  {
    files: ["tests/e2e/**/*.ts"],
    ...playwright.configs["flat/recommended"],
  },
  {
    // jsx-a11y ships no types.
    files: ["eslint.config.js"],
    rules: { "@typescript-eslint/no-unsafe-assignment": "off", "@typescript-eslint/no-unsafe-member-access": "off" },
  },
  {
    // CommonJS preloads for node --require: they wrap Node's own methods, whose
    // arguments they pass on untouched and untyped.
    files: ["server/**/*.cjs", "launcher/*.cjs", "tests/support/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: {
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
);
