import base from "./vitest.config.js";
import { defineConfig } from "vitest/config";
export default defineConfig({ test: { ...base.test, projects: undefined, isolate: false, maxWorkers: 1, include: ["test/**/*.test.ts"] } });
